package dev.fleet.inventory;

import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.util.Map;

/**
 * How to reach a host, read from its MERGED variables (group vars included), the way Ansible's ssh connection
 * reads them. {@code user} and {@code privateKeyFile} are null when not set, so the transport can apply its own
 * defaults.
 */
public record HostConnection(String host, String address, int port, String user, String privateKeyFile) {
    public static final int DEFAULT_PORT = 22;

    /**
     * Reads connection variables from {@code vars} (merged, and templated if the caller templates). The
     * {@code ansible_ssh_*} spellings are the pre-2.0 names that Ansible still accepts.
     *
     * @param where where the host was declared, for the error when {@code ansible_port} is not a port number
     */
    public static HostConnection of(String host, Map<String, Object> vars, SourcePosition where)
            throws ParseException {
        String address = text(vars, "ansible_host", "ansible_ssh_host");
        String user = text(vars, "ansible_user", "ansible_ssh_user");
        String key = text(vars, "ansible_ssh_private_key_file", "ansible_private_key_file");
        String portText = text(vars, "ansible_port", "ansible_ssh_port");
        int port = DEFAULT_PORT;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText.strip());
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ParseException(where, "host '" + host + "': ansible_port '" + portText
                        + "' is not a port number; expected 1-65535");
            }
        }
        return new HostConnection(host, address == null || address.isBlank() ? host : address, port, user, key);
    }

    private static String text(Map<String, Object> vars, String name, String legacyName) {
        Object v = vars.containsKey(name) ? vars.get(name) : vars.get(legacyName);
        return v == null ? null : String.valueOf(v);
    }
}
