package dev.fleet.engine;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code environment}: every command the module runs on the host starts by exporting these variables, inside
 * whatever {@code become} wraps around it (so sudo's environment reset does not drop them).
 */
final class EnvironmentSession extends SessionView {
    private final String exports;

    EnvironmentSession(HostSession inner, Map<String, Object> environment) {
        super(inner);
        StringBuilder sb = new StringBuilder();
        environment.forEach((k, v) -> {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("environment variable name '" + k + "' is not a valid name");
            }
            sb.append("export ").append(k).append('=').append(ShellQuote.quote(v == null ? "" : String.valueOf(v)))
                    .append("; ");
        });
        this.exports = sb.toString();
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        return inner.exec(exports + command, stdin, timeout);
    }
}
