package dev.fleet.modules;

import dev.fleet.playbook.FileSearch;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.PythonRegex;
import dev.fleet.transport.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code assemble}: joins the fragment files of a directory into {@code dest} (see {@link Fragments} for the
 * rules). The directory is on the host ({@code remote_src: true}, the default) or on the controller, looked up
 * under {@code files/} as Ansible does. The fragments are read in one round trip and joined here; the result is
 * placed as {@code copy} places content (checksum first, atomic replace, backup, validate, attributes, diff).
 * Under {@code --check} the task is skipped, as Ansible 2.14's assemble action does.
 */
final class AssembleModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("src").required(), Arg.path("dest").required(), Arg.str("delimiter"), Arg.str("regexp"),
                    Arg.bool("ignore_hidden").defaultsTo(false), Arg.bool("remote_src").defaultsTo(true),
                    Arg.bool("decrypt").defaultsTo(true))
            .add(FilePlacement.ARGS)
            .add(FileArgs.ATTRIBUTES)
            .build();

    public String name() {
        return "assemble";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        if (ctx.check()) return TaskOutcome.skipped("check mode is not supported for this task.");
        PythonRegex regexp = null;
        if (ctx.has("regexp")) {
            try {
                regexp = PythonRegex.compile(ctx.str("regexp"), 0);
            } catch (IllegalArgumentException e) {
                throw new ModuleException("argument 'regexp': " + e.getMessage());
            }
        }
        FileArgs.validate(ctx);
        FileAttrs attrs = FileAttrs.of(ctx);
        String src = ctx.str("src");
        List<Fragments.Fragment> fragments;
        try {
            fragments = ctx.bool("remote_src") ? Fragments.onHost(ctx, src)
                    : Fragments.onController(controllerDir(ctx, src));
        } catch (Fragments.Unreadable e) {
            return TaskOutcome.failed(e.getMessage()).withData(Map.of("src", src, "dest", ctx.str("dest")));
        }
        byte[] content = Fragments.join(fragments, regexp, ctx.bool("ignore_hidden"), ctx.str("delimiter"));
        TaskOutcome placed = FilePlacement.place(ctx, name(), ctx.str("dest"), content, null, attrs);
        if (placed.status() == TaskStatus.FAILED) return placed;
        Map<String, Object> data = new LinkedHashMap<>(placed.data());
        data.put("src", src);
        data.put("md5sum", FetchModule.digest("MD5", content));
        return new TaskOutcome(placed.status(), null, "", "", "OK", data);
    }

    /** The controller directory: absolute, or the first existing one along the search path, files/ first. */
    private static Path controllerDir(ModuleContext ctx, String src) throws Fragments.Unreadable {
        Object searchPath = ctx.vars() == null ? null : ctx.vars().get("ansible_search_path");
        List<Path> tried = FileSearch.candidates(FileSearch.of(searchPath, ctx.playbookDir()), "files", src);
        for (Path p : tried) {
            if (Files.exists(p)) return p;
        }
        throw new Fragments.Unreadable("Could not find or access '" + src + "'; looked in " + tried);
    }
}
