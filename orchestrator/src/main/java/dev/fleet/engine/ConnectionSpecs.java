package dev.fleet.engine;

import dev.fleet.inventory.HostConnection;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Play;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to reach a host: its connection variables, the play's remote user and the run's options, as Ansible ranks
 * them.
 */
final class ConnectionSpecs {
    private final Templater templater;
    private final RunInventory runInventory;
    private final RunOptions options;

    ConnectionSpecs(Templater templater, RunInventory inventory, RunOptions options) {
        this.templater = templater;
        this.runInventory = inventory;
        this.options = options;
    }

    /**
     * Connection details from the host's variables, templated first ({@code ansible_host: "{{ ip }}"}).
     * Precedence as Ansible: inventory {@code ansible_user} over the play's {@code remote_user} over {@code -u};
     * the inventory's key before {@code --private-key}.
     */
    /**
     * How to reach a {@code delegate_to} host: its own inventory variables (and extra vars); a name the inventory
     * does not have is used as the address, as Ansible does.
     */
    ConnectionSpec forDelegate(String host, Play play) throws TemplateException, ParseException {
        Map<String, Object> vars = new LinkedHashMap<>(runInventory.get().varsFor(host));
        vars.putAll(options.extraVars());
        return connectionSpec(host, play, vars);
    }

    ConnectionSpec connectionSpec(String host, Play play, Map<String, Object> vars)
            throws TemplateException, ParseException {
        Map<String, Object> rendered = new LinkedHashMap<>();
        for (var e : vars.entrySet()) {
            if (e.getKey().startsWith("ansible_") && e.getValue() instanceof String s) {
                rendered.put(e.getKey(), templater.render(s, vars));
            } else {
                rendered.put(e.getKey(), e.getValue());
            }
        }
        Inventory inventory = runInventory.get();
        SourcePosition where = inventory.positionOf(host).orElse(SourcePosition.of(inventory.source()));
        HostConnection c = HostConnection.of(host, rendered, where);
        String user = c.user() != null ? c.user()
                : play.remoteUser() != null ? play.remoteUser()
                : options.user() != null ? options.user() : System.getProperty("user.name");
        List<Path> keys = new ArrayList<>();
        if (c.privateKeyFile() != null) keys.add(Path.of(expandHome(c.privateKeyFile())));
        if (options.privateKey() != null) keys.add(options.privateKey());
        ConnectionSpec spec = new ConnectionSpec(host, c.address(), c.port(), user, keys, options.connectTimeout());
        String jump = jumpHost(rendered);
        return jump == null ? spec : spec.via(jump);
    }

    private static final java.util.regex.Pattern PROXY_JUMP =
            java.util.regex.Pattern.compile("(?:-o\\s*ProxyJump[=\\s]\\s*|-J\\s*)['\"]?([^\\s'\",]+)");

    /**
     * The jump host: {@code ansible_jump_host}, or OpenSSH's ProxyJump in {@code ansible_ssh_common_args} /
     * {@code ansible_ssh_extra_args} ({@code -o ProxyJump=bastion}, {@code -J user@bastion:2222}), as Ansible
     * users write it. Only the first hop of a chain is used.
     */
    static String jumpHost(Map<String, Object> vars) {
        Object direct = vars.get("ansible_jump_host");
        if (direct != null && !String.valueOf(direct).isBlank()) return String.valueOf(direct).strip();
        for (String key : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            Object v = vars.get(key);
            if (v == null) continue;
            var m = PROXY_JUMP.matcher(String.valueOf(v));
            if (m.find()) return m.group(1);
        }
        return null;
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }
}
