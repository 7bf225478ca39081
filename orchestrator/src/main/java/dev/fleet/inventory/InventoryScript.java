package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * An executable inventory script, as Ansible's script inventory plugin runs it: {@code SCRIPT --list} prints a
 * JSON object of groups, each either a list of host names or {@code {"hosts": [...], "vars": {...}, "children":
 * [...]}} (a mapping with none of those keys is a host of the group's name with those variables), plus
 * {@code "_meta": {"hostvars": {HOST: {...}}}}. Without {@code _meta.hostvars}, {@code SCRIPT --host HOST} is run
 * for every host and prints that host's variables (empty output: none). Host names are taken as printed (no
 * ranges, no {@code host:port}), like Ansible.
 *
 * <p>Unlike Ansible, which warns and goes on without the hosts, a script that fails, times out or prints something
 * other than such an object fails the load, naming the script, its exit code and what it printed.
 */
final class InventoryScript {
    private static final int MAX_SHOWN = 2000;

    private final Path script;
    private final InventoryBuilder builder;
    private final Duration timeout;
    private final Set<String> hosts = new LinkedHashSet<>();

    private InventoryScript(Path script, InventoryBuilder builder, Duration timeout) {
        this.script = script;
        this.builder = builder;
        this.timeout = timeout;
    }

    static void run(Path script, InventoryBuilder builder, Duration timeout) throws ParseException {
        new InventoryScript(script, builder, timeout).load(null);
    }

    /** What a script printed for {@code --list} (with {@code _meta.hostvars}), given rather than run; {@code name}
     * says where it came from in errors. */
    static void parseList(String listOutput, String name, InventoryBuilder builder) throws ParseException {
        new InventoryScript(Path.of(name), builder, Duration.ZERO).load(listOutput);
    }

    private void load(String given) throws ParseException {
        String listName = script + " --list";
        YamlNode root = parseOutput(given != null ? given : execute("--list"), listName);
        if (!(root instanceof YamlNode.Mapping m)) {
            throw fail("printed " + describe(root) + " for --list; expected a JSON object of groups, e.g. "
                    + "{\"web\": [\"web1\"], \"_meta\": {\"hostvars\": {}}}");
        }
        YamlNode.Mapping hostvars = null;
        boolean haveMeta = false;
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            SourcePosition pos = m.keyPosition(e.getKey());
            if (e.getKey().equals("_meta")) {
                if (e.getValue() instanceof YamlNode.Mapping meta && meta.entries().containsKey("hostvars")) {
                    haveMeta = true;
                    YamlNode hv = meta.entries().get("hostvars");
                    if (hv instanceof YamlNode.Mapping hvm) hostvars = hvm;
                    else if (!isNull(hv)) {
                        throw new ParseException(hv.position(), "'_meta.hostvars' must be an object of host name"
                                + " -> variables; found " + describe(hv));
                    }
                }
                continue;
            }
            group(e.getKey(), e.getValue(), pos);
        }
        for (String host : hosts) {
            YamlNode vars;
            String where;
            if (haveMeta) {
                vars = hostvars == null ? null : hostvars.entries().get(host);
                where = "'_meta.hostvars." + host + "'";
            } else {
                String out = execute("--host", host);
                vars = out.isBlank() ? null : parseOutput(out, script + " --host " + host);
                where = "the output of --host " + host;
            }
            if (isNull(vars)) continue;
            if (!(vars instanceof YamlNode.Mapping vm)) {
                throw new ParseException(vars.position(), where + " must be an object of variables; found "
                        + describe(vars));
            }
            builder.addHostVars(host, plain(vm));
        }
    }

    private void group(String name, YamlNode data, SourcePosition pos) throws ParseException {
        builder.group(name, pos);
        if (isNull(data)) return;
        if (data instanceof YamlNode.Sequence) {
            hostList(name, data);
            return;
        }
        if (!(data instanceof YamlNode.Mapping m)) {
            throw new ParseException(data.position(), "group '" + name + "' must be a list of host names or an "
                    + "object with 'hosts', 'vars' and 'children'; found " + describe(data));
        }
        Map<String, YamlNode> e = m.entries();
        if (!e.containsKey("hosts") && !e.containsKey("vars") && !e.containsKey("children")) {
            // Ansible's shorthand: a host named like the group, with these variables
            addHost(name, name, pos);
            for (Map.Entry<String, YamlNode> v : e.entrySet()) {
                builder.setGroupVar(name, v.getKey(), v.getValue().toPlain(), m.keyPosition(v.getKey()));
            }
            return;
        }
        if (e.containsKey("hosts")) hostList(name, e.get("hosts"));
        YamlNode vars = e.get("vars");
        if (vars instanceof YamlNode.Mapping vm) {
            for (Map.Entry<String, YamlNode> v : vm.entries().entrySet()) {
                builder.setGroupVar(name, v.getKey(), v.getValue().toPlain(), vm.keyPosition(v.getKey()));
            }
        } else if (vars != null && !isNull(vars)) {
            throw new ParseException(vars.position(), "'vars' of group '" + name + "' must be an object of "
                    + "variables; found " + describe(vars));
        }
        YamlNode children = e.get("children");
        if (children != null && !isNull(children)) {
            if (!(children instanceof YamlNode.Sequence cs)) {
                throw new ParseException(children.position(), "'children' of group '" + name + "' must be a list "
                        + "of group names; found " + describe(children));
            }
            for (YamlNode c : cs.items()) {
                String child = name(c, "child group", name);
                builder.group(child, c.position());
                builder.addChild(name, child, c.position());
            }
        }
    }

    private void hostList(String group, YamlNode list) throws ParseException {
        if (isNull(list)) return;
        if (!(list instanceof YamlNode.Sequence s)) {
            throw new ParseException(list.position(), "'hosts' of group '" + group + "' must be a list of host "
                    + "names; found " + describe(list));
        }
        for (YamlNode h : s.items()) addHost(group, name(h, "host", group), h.position());
    }

    private void addHost(String group, String host, SourcePosition pos) {
        hosts.add(host);
        builder.addHost(group, host, Map.of(), pos);
    }

    private static String name(YamlNode n, String what, String group) throws ParseException {
        if (n instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()) return s.text();
        throw new ParseException(n.position(), "a " + what + " name in group '" + group + "' must be a non-empty "
                + "string; found " + describe(n));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plain(YamlNode.Mapping m) {
        return new LinkedHashMap<>((Map<String, Object>) m.toPlain());
    }

    private YamlNode parseOutput(String out, String name) throws ParseException {
        try {
            return YamlLoader.load(out, name);
        } catch (ParseException e) {
            String problem = e.problem().replaceFirst("^invalid YAML: ", "");
            throw fail("printed output that is not JSON (" + name + ", line " + e.position().line() + ", column "
                    + e.position().column() + ": " + problem + "); it printed:\n" + shorten(out));
        }
    }

    private String execute(String... args) throws ParseException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        String what = String.join(" ", args);
        Path out = null;
        Path err = null;
        try {
            // Files rather than pipes: nothing to drain concurrently, and a child the script left running
            // cannot keep us waiting for the end of a pipe.
            out = Files.createTempFile("fleet-inventory", ".out");
            err = Files.createTempFile("fleet-inventory", ".err");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw fail("did not finish " + what + " within " + timeout.toSeconds() + " seconds and was killed;"
                        + " make it faster or check what it waits for");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw fail("failed (" + what + ", exit code " + p.exitValue() + "); it printed on stderr:\n"
                        + shorten(stderr) + (stderr.isBlank() ? "(nothing)" : ""));
            }
            return stdout;
        } catch (IOException e) {
            throw fail("could not be run with " + what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("was interrupted while running " + what);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private ParseException fail(String problem) {
        return new ParseException(SourcePosition.of(script.toString()), "inventory script " + problem);
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() <= MAX_SHOWN ? t : t.substring(0, MAX_SHOWN) + "\n... (" + t.length() + " characters)";
    }

    private static String describe(YamlNode n) {
        if (isNull(n)) return "nothing";
        return n instanceof YamlNode.Scalar s ? "'" + s.text() + "'" : "a " + n.kind();
    }

    private static boolean isNull(YamlNode n) {
        return n == null || (n instanceof YamlNode.Scalar s && s.isNull());
    }

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a leftover temp file is harmless
        }
    }
}
