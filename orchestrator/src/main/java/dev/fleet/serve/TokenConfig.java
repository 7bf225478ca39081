package dev.fleet.serve;

import static dev.fleet.serve.ServeConfig.keys;
import static dev.fleet.serve.ServeConfig.sequence;
import static dev.fleet.serve.ServeConfig.string;

import dev.fleet.serve.ApiToken.Scope;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@code tokens:} and {@code token_env:} keys of the serve config. A token is a mapping
 * {@code {name, env | file, scope}}; the older forms stay valid with scope {@code run} (all the API could do
 * before scopes): a plain string in {@code tokens:} (named {@code token#N}, its position in the list) and
 * {@code token_env: VAR} (named after the variable, {@code VAR#N} when it holds several comma-separated tokens).
 */
final class TokenConfig {
    static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");
    private static final Set<String> KEYS = new LinkedHashSet<>(List.of("name", "env", "file", "scope"));

    private TokenConfig() {}

    static List<ApiToken> parse(Mapping top, Path file, Function<String, String> env) throws ParseException {
        Path base = file.toAbsolutePath().getParent();
        List<ApiToken> tokens = new ArrayList<>();
        Map<String, YamlNode> names = new LinkedHashMap<>();
        if (top.has("tokens")) {
            List<YamlNode> items = sequence(top.get("tokens"), "tokens");
            for (int i = 0; i < items.size(); i++) {
                YamlNode t = items.get(i);
                ApiToken token = t instanceof Mapping m ? named(m, base, env)
                        : new ApiToken("token#" + (i + 1), secret(t, string(t, "a token")), Scope.RUN);
                add(tokens, names, token, t);
            }
        }
        if (top.has("token_env")) {
            YamlNode n = top.get("token_env");
            String var = string(n, "token_env");
            String value = fromEnv(n, var, env, "token_env");
            List<String> values = new ArrayList<>();
            for (String t : value.split(",")) if (!t.isBlank()) values.add(t.strip());
            for (int i = 0; i < values.size(); i++) {
                String name = values.size() == 1 ? var : var + "#" + (i + 1);
                add(tokens, names, new ApiToken(name, secret(n, values.get(i)), Scope.RUN), n);
            }
        }
        if (tokens.isEmpty()) {
            throw new ParseException(SourcePosition.of(file.toString()), "no API token configured: add "
                    + "'tokens: [{name: ci, env: FLEET_TOKEN, scope: run}]' (or 'token_env: FLEET_TOKEN'); "
                    + "fleet serve does not run an unauthenticated API");
        }
        return tokens;
    }

    private static void add(List<ApiToken> tokens, Map<String, YamlNode> names, ApiToken token, YamlNode where)
            throws ParseException {
        YamlNode first = names.putIfAbsent(token.name(), where);
        if (first != null) throw new ParseException(where.position(), "duplicate token name '" + token.name()
                + "' (first at line " + first.position().line() + ")");
        for (ApiToken other : tokens) {
            if (other.secret().equals(token.secret())) throw new ParseException(where.position(), "token '"
                    + token.name() + "' has the same value as token '" + other.name() + "'; give each its own");
        }
        tokens.add(token);
    }

    private static ApiToken named(Mapping m, Path base, Function<String, String> env) throws ParseException {
        keys(m, KEYS, "a token");
        for (String required : List.of("name", "scope")) {
            if (!m.has(required)) throw new ParseException(m.position(), "token is missing '" + required
                    + "'; a token needs name, env or file, and scope (read or run)");
        }
        String name = string(m.get("name"), "token name");
        if (!NAME.matcher(name).matches()) throw new ParseException(m.get("name").position(), "token name '" + name
                + "' must be letters, digits, '.', '_', '@' or '-' (at most 64); it shows in logs and the audit");
        if (m.has("env") == m.has("file")) throw new ParseException(m.position(), "token '" + name
                + "' needs exactly one of 'env' (an environment variable) or 'file' (a file holding the token)");
        String value;
        YamlNode where;
        if (m.has("env")) {
            where = m.get("env");
            value = fromEnv(where, string(where, "token env"), env, "token '" + name + "' env");
        } else {
            where = m.get("file");
            value = fromFile(where, base.resolve(string(where, "token file")), name);
        }
        String scopeText = string(m.get("scope"), "token scope");
        Scope scope;
        try {
            scope = Scope.valueOf(scopeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParseException(m.get("scope").position(), "unknown scope '" + scopeText + "' for token '"
                    + name + "'; expected read (GET only) or run (also start and cancel runs)");
        }
        return new ApiToken(name, secret(where, value), scope);
    }

    private static String fromEnv(YamlNode n, String var, Function<String, String> env, String what)
            throws ParseException {
        String value = env.apply(var);
        if (value == null || value.isBlank()) {
            throw new ParseException(n.position(), what + ": environment variable " + var
                    + " is not set or empty; set it to the API token (e.g. openssl rand -hex 32)");
        }
        return value.strip();
    }

    /** The file's first line; refused when other users may read it, like ssh refuses such a key. */
    private static String fromFile(YamlNode n, Path path, String name) throws ParseException {
        try {
            try {
                if (Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_READ)) {
                    throw new ParseException(n.position(), "token '" + name + "' file " + path
                            + " is readable by other users; chmod 600 it (or 640 for a group)");
                }
            } catch (UnsupportedOperationException notPosix) {
                // no POSIX permissions to check on this file system
            }
            String text = Files.readString(path, StandardCharsets.UTF_8).strip();
            int eol = text.indexOf('\n');
            String value = (eol < 0 ? text : text.substring(0, eol)).strip();
            if (value.isEmpty()) throw new ParseException(n.position(), "token '" + name + "' file " + path
                    + " is empty; put the token on its first line (e.g. openssl rand -hex 32 > " + path + ")");
            return value;
        } catch (IOException e) {
            throw new ParseException(n.position(), "token '" + name + "': cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String secret(YamlNode n, String t) throws ParseException {
        if (t.length() < MIN_TOKEN_LENGTH) throw new ParseException(n.position(), "API tokens must be at least "
                + MIN_TOKEN_LENGTH + " characters; generate one with: openssl rand -hex 32");
        return t;
    }
}
