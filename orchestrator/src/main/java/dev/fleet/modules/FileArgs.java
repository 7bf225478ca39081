package dev.fleet.modules;

import java.util.List;

/**
 * Arguments every file-writing module shares (Ansible's {@code add_file_common_args}, the part fleet supports),
 * declared once here and added to each such module's {@link ArgSpec}.
 */
final class FileArgs {
    private FileArgs() {}

    /** {@code mode} (octal string or number, read by {@link RemoteFiles#parseMode}), {@code owner}, {@code group}. */
    static final List<Arg> ATTRIBUTES = List.of(Arg.raw("mode"), Arg.str("owner"), Arg.str("group"));

    /** {@code validate}: a command run on the new file ({@code %s}) before it replaces the old one. */
    static final Arg VALIDATE = Arg.str("validate");

    /** The {@code validate} command, or null; it must name the file to check as {@code %s}. */
    static String validate(ModuleContext ctx) throws ModuleException {
        String validate = ctx.str("validate");
        if (validate != null && !validate.contains("%s")) {
            throw new ModuleException("argument 'validate' must contain %s (the file to check), found '" + validate
                    + "'");
        }
        return validate;
    }
}
