package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code user}: Ansible's Linux user management with the shadow tools. An absent account is made with
 * {@code useradd}, a present one brought in line with {@code usermod} (only what differs), removed with
 * {@code userdel}; the password hash is set with {@code chpasswd -e} on standard input, so it is never part of a
 * command line, a message or a result (Ansible's {@code password: NOT_LOGGING_PASSWORD}). Also a missing home
 * directory (from the skeleton), password ages ({@code chage}) and {@code generate_ssh_key} ({@link UserSshKey}).
 * Results carry Ansible's keys: name, state, uid, group, comment, home, shell, groups, system/create_home on
 * creation, append/move_home on modification, force/remove on removal. {@code local: true} (libuser) is refused.
 */
final class UserModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.str("name").required().aliases("user"), Arg.integer("uid"),
                    Arg.bool("non_unique").defaultsTo(false), Arg.str("group"), Arg.list("groups", ArgType.STR),
                    Arg.str("comment"), Arg.path("home"), Arg.str("shell"), Arg.str("password").noLog(),
                    Arg.str("login_class"), Arg.integer("password_expire_max"), Arg.integer("password_expire_min"),
                    Arg.bool("hidden"), Arg.str("seuser"), Arg.bool("force").defaultsTo(false),
                    Arg.bool("remove").defaultsTo(false), Arg.bool("create_home").defaultsTo(true)
                            .aliases("createhome"),
                    Arg.str("skeleton"), Arg.bool("system").defaultsTo(false), Arg.bool("move_home").defaultsTo(false),
                    Arg.bool("append").defaultsTo(false), Arg.bool("generate_ssh_key"),
                    Arg.integer("ssh_key_bits").defaultsTo(0), Arg.str("ssh_key_type").defaultsTo("rsa"),
                    Arg.path("ssh_key_file"), Arg.str("ssh_key_comment"), Arg.str("ssh_key_passphrase").noLog(),
                    Arg.str("update_password").choices("always", "on_create").defaultsTo("always"),
                    Arg.decimal("expires"), Arg.bool("password_lock"), Arg.bool("local"), Arg.str("profile"),
                    Arg.str("authorization"), Arg.str("role"), Arg.str("umask"))
            .build();

    public String name() {
        return "user";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** A step failed: Ansible's fail_json(name, msg, rc). */
    private static final class Failure extends Exception {
        final Integer rc;

        Failure(String msg, Integer rc) {
            super(msg);
            this.rc = rc;
        }
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        if (ctx.bool("local")) {
            throw new ModuleException("argument 'local': fleet's user module does not support local: true (libuser's"
                    + " luseradd/lusermod); leave it out to use useradd/usermod");
        }
        String name = ctx.str("name");
        try {
            return run(ctx, name);
        } catch (Failure e) {
            TaskOutcome failed = TaskOutcome.failed(e.getMessage()).withData(Map.of("name", name));
            return e.rc == null ? failed : failed.withData(Map.of("rc", e.rc));
        }
    }

    private TaskOutcome run(ModuleContext ctx, String name) throws TransportException, Failure {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("state", ctx.str("state"));
        UserAccount account = UserAccount.lookup(ctx, name);
        CommandResult r = null;
        if (ctx.str("state").equals("absent")) {
            if (account != null) {
                if (ctx.check()) return TaskOutcome.changed("");
                List<String> argv = new ArrayList<>(List.of("userdel"));
                if (ctx.bool("force")) argv.add("-f");
                if (ctx.bool("remove")) argv.add("-r");
                argv.add(name);
                r = checked(exec(ctx, argv));
                data.put("force", ctx.bool("force"));
                data.put("remove", ctx.bool("remove"));
            }
            return finish(data, r, false);
        }
        if (account == null) {
            if (ctx.check()) return TaskOutcome.changed("");
            r = create(ctx, name);
            data.put("system", ctx.bool("system"));
            data.put("create_home", ctx.bool("create_home"));
        } else {
            r = modify(ctx, account);
            data.put("append", ctx.bool("append"));
            data.put("move_home", ctx.bool("move_home"));
        }
        if (ctx.has("password")) data.put("password", "NOT_LOGGING_PASSWORD");
        if (ctx.has("password") && !looksHashed(ctx.str("password"))) {
            data.put("warnings", List.of("The input password appears not to have been hashed. The 'password'"
                    + " argument must be encrypted for this module to work properly."));
        }
        boolean changed = r != null;
        UserAccount after = ctx.check() && account != null ? account : UserAccount.lookup(ctx, name);
        if (after == null) return finish(data, r, changed);
        data.put("uid", after.uid());
        data.put("group", after.gid());
        data.put("comment", after.comment());
        data.put("home", after.home());
        data.put("shell", after.shell());
        if (ctx.has("groups")) data.put("groups", String.join(",", ctx.strings("groups")));
        String home = ctx.has("home") ? ctx.str("home") : after.home();
        if (ctx.bool("create_home") && !exists(ctx, home)) {
            if (!ctx.check()) makeHome(ctx, home, after.uid() + ":" + after.gid());
            changed = true;
        }
        if (ctx.bool("generate_ssh_key")) {
            UserSshKey.Outcome key = UserSshKey.ensure(ctx, after, ctx.bool("force"));
            if (key.error() != null) throw new Failure(key.error(), 1);
            changed |= key.changed();
            data.putAll(key.data());
        }
        changed |= passwordAges(ctx, after);
        return finish(data, r, changed);
    }

    private static TaskOutcome finish(Map<String, Object> data, CommandResult r, boolean changed) {
        if (r != null && !r.stdout().isEmpty()) data.put("stdout", r.stdout());
        if (r != null && !r.stderr().isEmpty()) data.put("stderr", r.stderr());
        return (changed || r != null ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    private static CommandResult create(ModuleContext ctx, String name) throws TransportException, Failure {
        List<String> argv = new ArrayList<>(List.of("useradd"));
        if (ctx.has("uid")) {
            argv.addAll(List.of("-u", String.valueOf(ctx.integer("uid"))));
            if (ctx.bool("non_unique")) argv.add("-o");
        }
        if (ctx.has("seuser")) argv.addAll(List.of("-Z", ctx.str("seuser")));
        if (ctx.has("group")) {
            if (UserAccount.groupId(ctx, ctx.str("group")) == null) {
                throw new Failure("Group " + ctx.str("group") + " does not exist", null);
            }
            argv.addAll(List.of("-g", ctx.str("group")));
        } else if (UserAccount.groupId(ctx, name) != null) {
            // A group named as the user exists: -N, or useradd would fail creating it (USERGROUPS_ENAB).
            argv.add("-N");
        }
        if (ctx.has("groups") && !ctx.strings("groups").isEmpty()) {
            argv.addAll(List.of("-G", String.join(",", existingGroups(ctx))));
        }
        if (ctx.has("comment")) argv.addAll(List.of("-c", ctx.str("comment")));
        boolean madeHome = false;
        if (ctx.has("home")) {
            String home = ctx.str("home");
            if (ctx.bool("create_home")) {
                // useradd cannot create missing parents: Ansible makes the home from the skeleton first.
                String parent = home.contains("/") ? home.substring(0, Math.max(1, home.lastIndexOf('/'))) : ".";
                madeHome = !isDir(ctx, parent);
                if (madeHome) makeHome(ctx, home, null);
            }
            argv.addAll(List.of("-d", home));
        }
        if (ctx.has("shell")) argv.addAll(List.of("-s", ctx.str("shell")));
        if (ctx.has("expires")) argv.addAll(List.of("-e", expiryDate(ctx.decimal("expires"))));
        if (ctx.bool("create_home")) {
            argv.add("-m");
            if (ctx.has("skeleton")) argv.addAll(List.of("-k", ctx.str("skeleton")));
            if (ctx.has("umask")) argv.addAll(List.of("-K", "UMASK=" + ctx.str("umask")));
        } else {
            argv.add("-M");
        }
        if (ctx.bool("system")) argv.add("-r");
        argv.add(name);
        CommandResult r = checked(exec(ctx, argv));
        if (madeHome) {
            RemoteFiles.sh(ctx, "chown -R \"$(id -u " + ShellQuote.quote(name) + "):$(id -g " + ShellQuote.quote(name)
                    + ")\" -- " + ShellQuote.quote(ctx.str("home")));
        }
        if (ctx.has("password")) setPassword(ctx, name, lockPrefix(ctx.has("password_lock")
                && ctx.bool("password_lock")) + ctx.str("password"));
        return r;
    }

    /** usermod with only what differs (and chpasswd for a new hash); null when nothing does. */
    private static CommandResult modify(ModuleContext ctx, UserAccount a) throws TransportException, Failure {
        List<String> argv = new ArrayList<>(List.of("usermod"));
        if (ctx.has("uid") && ctx.integer("uid") != a.uid()) {
            argv.addAll(List.of("-u", String.valueOf(ctx.integer("uid"))));
            if (ctx.bool("non_unique")) argv.add("-o");
        }
        if (ctx.has("group")) {
            Integer gid = UserAccount.groupId(ctx, ctx.str("group"));
            if (gid == null) throw new Failure("Group " + ctx.str("group") + " does not exist", null);
            if (gid != a.gid()) argv.addAll(List.of("-g", String.valueOf(gid)));
        }
        if (ctx.has("groups")) groupsChange(ctx, a, argv);
        if (ctx.has("comment") && !ctx.str("comment").equals(a.comment())) argv.addAll(List.of("-c",
                ctx.str("comment")));
        if (ctx.has("home") && !ctx.str("home").equals(a.home())) {
            argv.addAll(List.of("-d", ctx.str("home")));
            if (ctx.bool("move_home")) argv.add("-m");
        }
        if (ctx.has("shell") && !ctx.str("shell").equals(a.shell())) argv.addAll(List.of("-s", ctx.str("shell")));
        if (ctx.has("expires")) {
            double expires = ctx.decimal("expires");
            if (expires < 0) {
                if (a.expires() >= 0) argv.addAll(List.of("-e", ""));
            } else if (a.expires() < 0 || !LocalDate.ofEpochDay(a.expires()).equals(date(expires))) {
                argv.addAll(List.of("-e", expiryDate(expires)));
            }
        }
        boolean locked = a.password().startsWith("!");
        String hash = null;
        if (ctx.has("password") && ctx.str("update_password").equals("always")
                && !stripBangs(a.password()).equals(stripBangs(ctx.str("password")))) {
            boolean lock = ctx.has("password_lock") && ctx.bool("password_lock");
            hash = lockPrefix(lock) + ctx.str("password");
        } else if (ctx.has("password_lock") && ctx.bool("password_lock") && !locked) {
            argv.add("-L");
        } else if (ctx.has("password_lock") && !ctx.bool("password_lock") && locked) {
            argv.add("-U");
        }
        if (argv.size() == 1 && hash == null) return null;
        if (ctx.check()) return new CommandResult(0, "", "", Instant.now(), Instant.now());
        CommandResult r = null;
        if (argv.size() > 1) {
            argv.add(a.name());
            r = checked(exec(ctx, argv));
        }
        if (hash != null) {
            CommandResult p = setPassword(ctx, a.name(), hash);
            if (r == null) r = p;
        }
        return r;
    }

    /** Ansible's groups comparison: every group the user is listed in, primary included, against the wanted set. */
    private static void groupsChange(ModuleContext ctx, UserAccount a, List<String> argv)
            throws TransportException, Failure {
        List<String> wanted = ctx.strings("groups");
        Set<String> current = new LinkedHashSet<>(a.members());
        boolean append = ctx.bool("append");
        if (wanted.isEmpty()) {
            if (!current.isEmpty() && !append) argv.addAll(List.of("-G", ""));
            return;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (String g : wanted) {
            if (g.isEmpty()) continue;
            if (UserAccount.groupId(ctx, g.strip()) == null) throw new Failure("Group " + g.strip()
                    + " does not exist", null);
            groups.add(g.strip());
        }
        Set<String> diff = new LinkedHashSet<>(current);
        diff.addAll(groups);
        Set<String> both = new LinkedHashSet<>(current);
        both.retainAll(groups);
        diff.removeAll(both);
        if (diff.isEmpty()) return;
        if (append) {
            if (groups.stream().noneMatch(diff::contains)) return;
            argv.add("-a");
        }
        argv.addAll(List.of("-G", String.join(",", groups)));
    }

    /** The groups to pass to useradd -G, each of which must exist. */
    private static List<String> existingGroups(ModuleContext ctx) throws TransportException, Failure {
        Set<String> out = new LinkedHashSet<>();
        for (String g : ctx.strings("groups")) {
            if (g.isBlank()) continue;
            if (UserAccount.groupId(ctx, g.strip()) == null) throw new Failure("Group " + g.strip()
                    + " does not exist", null);
            out.add(g.strip());
        }
        return List.copyOf(out);
    }

    /**
     * Ansible's check_password_encrypted: a password that does not look like a crypt hash ($id$salt$hash of the
     * right length for MD5, SHA-256 and SHA-512) only gets a warning, and is set as given.
     */
    static boolean looksHashed(String password) {
        if (password.isEmpty() || Set.of("*", "!", "*************").contains(password)) return true;
        if (password.matches(".*[:*!].*") || !password.contains("$")) return false;
        String[] fields = password.split("\\$", -1);
        if (fields.length < 3) return false;
        String hash = fields[fields.length - 1];
        if (!hash.matches("[a-zA-Z0-9./=]*")) return false;
        int wanted = switch (fields[1]) {
            case "1" -> 22;
            case "5" -> 43;
            case "6" -> 86;
            default -> -1;
        };
        return wanted < 0 || hash.length() == wanted;
    }

    /** chage -m/-M for password ages that differ; whether it ran (or would). */
    private static boolean passwordAges(ModuleContext ctx, UserAccount a) throws TransportException, Failure {
        List<String> argv = new ArrayList<>(List.of("chage"));
        if (ctx.has("password_expire_min") && ctx.integer("password_expire_min") != a.min()) {
            argv.addAll(List.of("-m", String.valueOf(ctx.integer("password_expire_min"))));
        }
        if (ctx.has("password_expire_max") && ctx.integer("password_expire_max") != a.max()) {
            argv.addAll(List.of("-M", String.valueOf(ctx.integer("password_expire_max"))));
        }
        if (argv.size() == 1) return false;
        if (ctx.check()) return true;
        argv.add(a.name());
        checked(exec(ctx, argv));
        return true;
    }

    private static CommandResult setPassword(ModuleContext ctx, String name, String hash)
            throws TransportException, Failure {
        byte[] line = (name + ":" + hash + "\n").getBytes(StandardCharsets.UTF_8);
        return checked(ctx.session().exec("chpasswd -e", line, ctx.timeout()));
    }

    /**
     * Creates a home directory as Ansible's create_homedir: a copy of the skeleton (default /etc/skel) or an empty
     * directory, with the mode login.defs' UMASK gives, owned by {@code owner} (uid:gid) when given.
     */
    private static void makeHome(ModuleContext ctx, String home, String owner) throws TransportException, Failure {
        String skel = ctx.has("skeleton") ? ctx.str("skeleton") : "/etc/skel";
        String script = "h=" + ShellQuote.quote(home) + "; k=" + ShellQuote.quote(skel) + "\n"
                + "if [ -e \"$k\" ]; then mkdir -p -- \"$(dirname -- \"$h\")\" && cp -a -- \"$k\" \"$h\" || exit 1\n"
                + "else mkdir -p -- \"$h\" || exit 1; fi\n"
                + "m=$(sed -n 's/^UMASK[[:space:]][[:space:]]*\\([0-9][0-9]*\\)$/\\1/p' /etc/login.defs 2>/dev/null"
                + " | tail -n 1)\n"
                + "if [ -n \"$m\" ]; then chmod \"$(printf '%o' $((0777 & ~0$m)))\" \"$h\" || exit 1; fi\n"
                + (owner == null ? "" : "chown -R " + owner + " -- \"$h\" || exit 1\n");
        CommandResult r = RemoteFiles.sh(ctx, script);
        if (r.exitCode() != 0) throw new Failure(RemoteFiles.reason(r.stderr()), null);
    }

    private static boolean exists(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec("test -e " + ShellQuote.quote(path), ctx.timeout()).exitCode() == 0;
    }

    private static boolean isDir(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec("test -d " + ShellQuote.quote(path), ctx.timeout()).exitCode() == 0;
    }

    private static CommandResult exec(ModuleContext ctx, List<String> argv) throws TransportException {
        return ctx.session().exec(ShellQuote.join(argv), ctx.timeout());
    }

    private static CommandResult checked(CommandResult r) throws Failure {
        if (r.exitCode() != 0) throw new Failure(r.stderr(), r.exitCode());
        return r;
    }

    /** useradd/usermod -e: a negative time clears the expiry, else the UTC date of the epoch seconds. */
    private static String expiryDate(double expires) {
        return expires < 0 ? "" : date(expires).toString();
    }

    private static LocalDate date(double epochSeconds) {
        return Instant.ofEpochMilli((long) Math.floor(epochSeconds * 1000)).atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static String lockPrefix(boolean lock) {
        return lock ? "!" : "";
    }

    private static String stripBangs(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '!') i++;
        return s.substring(i);
    }
}
