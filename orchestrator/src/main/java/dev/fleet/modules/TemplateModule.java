package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code template}: renders a controller file ({@code src}, looked up under {@code templates/}) with the host's
 * variables and puts the result at {@code dest} exactly as {@code copy} does with {@code content}.
 */
final class TemplateModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required(), Arg.path("dest").required())
            .add(FilePlacement.ARGS)
            .add(FileArgs.ATTRIBUTES)
            .build();

    public String name() {
        return "template";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        if ("preserve".equals(ctx.raw("mode"))) throw new ModuleException("template does not support mode=preserve");
        Path src = ctx.localFile(ctx.str("src"), "templates");
        String text;
        try {
            text = Files.readString(src, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleException("cannot read template " + src + " as UTF-8 text: " + e.getMessage());
        }
        String rendered;
        try {
            rendered = String.valueOf(ctx.templater().render(text, ctx.vars()));
        } catch (TemplateException e) {
            throw new ModuleException("template " + src + ": " + e.getMessage());
        }
        return FilePlacement.place(ctx, name(), ctx.str("dest"), rendered.getBytes(StandardCharsets.UTF_8),
                src.getFileName().toString(), RemoteFiles.Attrs.of(ctx));
    }
}
