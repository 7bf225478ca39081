package dev.fleet.serve;

import dev.fleet.serve.ApiToken.Scope;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny router (fleet uses vertx-core only): routes are a method and a path template with {@code {name}}
 * segments matching {@code [A-Za-z0-9_][A-Za-z0-9_.-]*}. A path that matches with another method gives 405 with Allow.
 * Each route names its action (for the audit) and the token scope it needs; null for the public routes.
 */
final class HttpRouter {
    interface Handler {
        void handle(HttpServerRequest request, Map<String, String> params);
    }

    private record Route(HttpMethod method, Pattern pattern, List<String> names, String action, Scope scope,
                         Handler handler) {}

    /**
     * The outcome of a lookup: a handler with its params, action and needed scope, or 404/405 (with the allowed
     * methods; no action or scope).
     */
    record Match(Handler handler, Map<String, String> params, String action, Scope scope, int status,
                 Set<String> allowed) {}

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
    private final List<Route> routes = new ArrayList<>();

    /** A public route: no token, not audited. */
    HttpRouter add(HttpMethod method, String template, Handler handler) {
        return add(method, template, null, null, handler);
    }

    HttpRouter add(HttpMethod method, String template, String action, Scope scope, Handler handler) {
        List<String> names = new ArrayList<>();
        StringBuilder regex = new StringBuilder("^");
        Matcher m = PARAM.matcher(template);
        int last = 0;
        while (m.find()) {
            // never '.' or '..': a segment starts with a letter, digit or '_'
            regex.append(Pattern.quote(template.substring(last, m.start())))
                    .append("([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(template.substring(last))).append("/?$");
        routes.add(new Route(method, Pattern.compile(regex.toString()), names, action, scope, handler));
        return this;
    }

    Match match(HttpMethod method, String path) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            Matcher m = r.pattern.matcher(path);
            if (!m.matches()) continue;
            if (r.method.equals(method) || (method.equals(HttpMethod.HEAD) && r.method.equals(HttpMethod.GET))) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < r.names.size(); i++) params.put(r.names.get(i), m.group(i + 1));
                return new Match(r.handler, params, r.action, r.scope, 200, Set.of());
            }
            allowed.add(r.method.name());
        }
        return new Match(null, Map.of(), null, null, allowed.isEmpty() ? 404 : 405, allowed);
    }
}
