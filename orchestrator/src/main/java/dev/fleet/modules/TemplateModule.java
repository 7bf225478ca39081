package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code template}: renders a controller file ({@code src}, looked up under {@code templates/}) with the host's
 * variables and puts the result at {@code dest} exactly as {@code copy} does with {@code content}.
 */
final class TemplateModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required(), Arg.path("dest").required())
            .add(Arg.str("variable_start_string").defaultsTo("{{"), Arg.str("variable_end_string").defaultsTo("}}"),
                    Arg.str("block_start_string").defaultsTo("{%"), Arg.str("block_end_string").defaultsTo("%}"),
                    Arg.str("comment_start_string").defaultsTo("{#"), Arg.str("comment_end_string").defaultsTo("#}"),
                    Arg.bool("trim_blocks").defaultsTo(true), Arg.bool("lstrip_blocks").defaultsTo(false))
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
            TemplateSyntax.Options syntax = new TemplateSyntax.Options(ctx.str("variable_start_string"),
                    ctx.str("variable_end_string"), ctx.str("block_start_string"), ctx.str("block_end_string"),
                    ctx.str("comment_start_string"), ctx.str("comment_end_string"), ctx.bool("trim_blocks"),
                    ctx.bool("lstrip_blocks"));
            rendered = String.valueOf(ctx.templater().render(TemplateSyntax.toStandard(text, syntax),
                    templateVars(ctx, src)));
        } catch (TemplateException e) {
            throw new ModuleException("template " + src + ": " + e.getMessage());
        }
        return FilePlacement.place(ctx, name(), ctx.str("dest"), rendered.getBytes(StandardCharsets.UTF_8),
                src.getFileName().toString(), FileAttrs.of(ctx));
    }

    /**
     * The host's variables plus those Ansible defines while rendering a template: where it came from, who owns
     * it, the controller's name, when it ran, and ansible_managed (kept if the user set it).
     */
    private static Map<String, Object> templateVars(ModuleContext ctx, Path src) {
        Map<String, Object> vars = new LinkedHashMap<>(ctx.vars());
        vars.putIfAbsent("ansible_managed", "Ansible managed");
        vars.put("template_path", ctx.str("src"));
        vars.put("template_fullpath", src.toAbsolutePath().normalize().toString());
        vars.put("template_destpath", ctx.str("dest"));
        vars.put("template_host", controllerName());
        String uid;
        try {
            uid = Files.getOwner(src).getName();
        } catch (IOException | UnsupportedOperationException e) {
            uid = System.getProperty("user.name");
        }
        vars.put("template_uid", uid);
        vars.put("template_run_date", runDate(LocalDateTime.now()));
        return vars;
    }

    /** Python's str(datetime): microseconds only when there are some. */
    static String runDate(LocalDateTime t) {
        String pattern = t.getNano() / 1000 == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.SSSSSS";
        return t.format(DateTimeFormatter.ofPattern(pattern));
    }

    /** The controller's node name, as Python's os.uname() gives it; no DNS lookup unless the kernel won't say. */
    private static String controllerName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                return "localhost";
            }
        }
    }
}
