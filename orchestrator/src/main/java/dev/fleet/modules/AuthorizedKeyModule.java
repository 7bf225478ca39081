package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ansible.posix.authorized_key}: adds or removes SSH public keys (one or several lines, or fetched from an
 * {@code http(s)} URL by the host's curl or wget) in a user's {@code ~/.ssh/authorized_keys} or another file;
 * {@link AuthorizedKeysFile} decides the new text. Only when the text changes is anything written: the
 * {@code .ssh} directory made 0700 and the file 0600, both owned by the user, as Ansible does. Returns Ansible's
 * keys: the arguments, {@code keyfile}, {@code diff} under {@code --diff}, and the path's info when {@code path}
 * was given.
 */
final class AuthorizedKeyModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("user").required(), Arg.str("key").required(), Arg.path("path"),
                    Arg.bool("manage_dir").defaultsTo(true),
                    Arg.str("state").choices("absent", "present").defaultsTo("present"), Arg.str("key_options"),
                    Arg.bool("exclusive").defaultsTo(false), Arg.str("comment"),
                    Arg.bool("validate_certs").defaultsTo(true), Arg.bool("follow").defaultsTo(false))
            .build();

    public String name() {
        return "authorized_key";
    }

    @Override
    public String collection() {
        return "ansible.posix";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** The user as the password database has them: uid, gid, home. */
    private record Account(String uid, String gid, String home) {}

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String user = ctx.str("user");
        String path = ctx.str("path");
        boolean present = ctx.str("state").equals("present");
        try {
            String key = ctx.str("key");
            if (key.startsWith("http")) key = fetch(ctx, key);
            List<String> newKeys = LineEdits.splitLines(key, true).stream().map(LineEdits::stripEol)
                    .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
            if (path != null) path = RemoteHome.expand(ctx, path);
            Account account = null;
            if (!(ctx.check() && path != null)) {
                account = account(ctx, user);
                if (account == null && ctx.check() && path == null) {
                    return TaskOutcome.failed("Either user must exist or you must provide full path to key file in"
                            + " check mode");
                }
                if (account == null) {
                    return TaskOutcome.failed("Failed to lookup user " + user + ": \"getpwnam(): name not found: '"
                            + user + "'\"");
                }
            }
            String sshDir = path == null ? account.home() + "/.ssh" : parent(path);
            String keyfile = path == null ? sshDir + "/authorized_keys" : path;
            RemoteFiles.Info info = RemoteFiles.inspect(ctx, name(), keyfile, true, null, true);
            String before = info.isReg() ? RemoteFiles.text(name(), info) : "";
            LinkedHashMap<String, AuthorizedKeysFile.Entry> entries = AuthorizedKeysFile.read(before);
            boolean write;
            try {
                write = AuthorizedKeysFile.merge(entries, new AuthorizedKeysFile.Request(newKeys, present,
                        ctx.str("key_options"), ctx.str("comment"), ctx.bool("exclusive")));
            } catch (IllegalArgumentException e) {
                return TaskOutcome.failed(e.getMessage());
            }
            Map<String, Object> data = new LinkedHashMap<>();
            for (String k : SPEC.args().keySet()) {
                if (ctx.has(k)) data.put(k, ctx.raw(k));
            }
            if (path != null) data.put("path", path);
            data.put("keyfile", keyfile);
            if (write) {
                String target = ctx.bool("follow") ? realPath(ctx, keyfile) : keyfile;
                String after = AuthorizedKeysFile.write(entries);
                if (ctx.diff()) {
                    data.put("diff", Map.of("before_header", keyfile, "after_header", target, "before", before,
                            "after", after));
                }
                if (!ctx.check()) {
                    prepare(ctx, account, sshDir, target, ctx.bool("manage_dir"));
                    RemoteFiles.Info now = RemoteFiles.inspect(ctx, name(), target, false, null, false);
                    RemoteFiles.write(ctx, name(), target, after.getBytes(StandardCharsets.UTF_8),
                            new FileAttrs(0600, account.uid(), account.gid()), now, false, false, null);
                }
            }
            if (path != null) data.putAll(PathInfo.of(ctx, name(), path));
            return (write ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
        } catch (RemoteFiles.HostFailure e) {
            return TaskOutcome.failed(e.getMessage());
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : path.substring(0, slash);
    }

    private static Account account(ModuleContext ctx, String user) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, "getent passwd " + ShellQuote.quote(user));
        String[] f = r.stdout().strip().split(":", -1);
        if (r.exitCode() != 0 || f.length < 7) return null;
        return new Account(f[2], f[3], f[5]);
    }

    private static String realPath(ModuleContext ctx, String path) throws TransportException, RemoteFiles.HostFailure {
        CommandResult r = RemoteFiles.sh(ctx, "realpath -m -- " + ShellQuote.quote(path));
        if (r.exitCode() != 0) throw new RemoteFiles.HostFailure("cannot resolve " + path + ": " + r.stderr().strip());
        return r.stdout().strip();
    }

    /**
     * As Ansible before writing: the {@code .ssh} directory (with {@code manage_dir}) exists, 0700, the user's;
     * the key file exists (with its directories) and is made 0600 and the user's where permitted.
     */
    private void prepare(ModuleContext ctx, Account a, String sshDir, String keyfile, boolean manageDir)
            throws TransportException, RemoteFiles.HostFailure {
        String owner = a.uid() + ":" + a.gid();
        StringBuilder s = new StringBuilder("d=" + ShellQuote.quote(sshDir) + "; f=" + ShellQuote.quote(keyfile)
                + "\n");
        if (manageDir) {
            s.append("if [ ! -e \"$d\" ]; then mkdir -m 0700 -- \"$d\" || exit 3; fi\n")
                    .append("chown -- ").append(owner).append(" \"$d\" && chmod 0700 -- \"$d\" || exit 3\n");
        }
        s.append("if [ ! -e \"$f\" ]; then mkdir -p -- \"$(dirname -- \"$f\")\" && : > \"$f\" || exit 4; fi\n")
                .append("chown -- ").append(owner).append(" \"$f\" 2>/dev/null; chmod 0600 -- \"$f\" 2>/dev/null\n")
                .append("exit 0\n");
        CommandResult r = RemoteFiles.sh(ctx, s.toString());
        if (r.exitCode() == 3) {
            throw new RemoteFiles.HostFailure("Failed to create directory " + sshDir + " : "
                    + RemoteFiles.reason(r.stderr()));
        }
        if (r.exitCode() != 0) {
            throw new RemoteFiles.HostFailure("cannot create " + keyfile + ": " + RemoteFiles.reason(r.stderr()));
        }
    }

    /** Keys published at a URL, fetched by the host as Ansible's module does. */
    private static String fetch(ModuleContext ctx, String url) throws TransportException, RemoteFiles.HostFailure {
        boolean verify = ctx.bool("validate_certs");
        String u = ShellQuote.quote(url);
        String s = "if command -v curl >/dev/null 2>&1; then curl -fsSL " + (verify ? "" : "-k ") + "-- " + u
                + "; elif command -v wget >/dev/null 2>&1; then wget -qO- " + (verify ? "" : "--no-check-certificate ")
                + "-- " + u + "; else echo 'neither curl nor wget on the host' >&2; exit 127; fi";
        CommandResult r = RemoteFiles.sh(ctx, s);
        if (r.exitCode() != 0) throw new RemoteFiles.HostFailure("Error getting key from: " + url);
        return r.stdout();
    }
}
