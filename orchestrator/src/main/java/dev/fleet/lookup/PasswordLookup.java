package dev.fleet.lookup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code password}: a random password kept in a controller-side file, so every later run gets the same one.
 * A term is {@code path [length=N] [chars=spec,spec] [seed=S]}; a relative path is relative to the playbook's
 * directory. The first use writes the file (mode 0600, its directory 0700); later uses read it back. Path
 * {@code /dev/null} gives a fresh password every time and writes nothing.
 *
 * <p>{@code chars} names character classes of Python's {@code string} module ({@code ascii_letters},
 * {@code digits}, {@code punctuation}, ...) or gives characters literally ({@code ,,} is a comma); quotes are
 * never used. With {@code seed} the password is repeatable, but not the same string Ansible would generate.
 * {@code encrypt} is not supported: hash the plain password with the {@code password_hash} filter instead.
 */
final class PasswordLookup implements Lookup {
    private static final Set<String> PARAMS = Set.of("length", "encrypt", "chars", "ident", "seed");
    private static final List<Object> DEFAULT_CHARS = List.of("ascii_letters", "digits", ".,:-_");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = LOWER.toUpperCase();
    private static final String DIGITS = "0123456789";
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final String WHITESPACE = " \t\n\r\u000b\u000c";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Hosts run at once in one process: the first to need a file writes it, the others must read it. */
    private static final Object FILE_LOCK = new Object();

    @Override
    public String name() {
        return "password";
    }

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options, LookupContext ctx)
            throws LookupException {
        List<Object> out = new ArrayList<>();
        for (Object term : terms) {
            String text = Terms.string(term, "password");
            int space = text.indexOf(' ');
            String relpath = space < 0 ? text : text.substring(0, space);
            Map<String, String> params = space < 0 ? Map.of() : Terms.parseKv(text.substring(space + 1));
            for (String k : params.keySet()) {
                if (k.equals("_raw_params")) {
                    throw new LookupException("Unrecognized value after key=value parameters given to password lookup: "
                            + "'" + params.get(k) + "' (a path with spaces cannot be used here)");
                }
                if (!PARAMS.contains(k)) {
                    throw new LookupException("Unrecognized parameter given to password lookup: " + k
                            + "; it takes " + String.join(", ", List.of("length", "chars", "seed")));
                }
            }
            Object encrypt = params.containsKey("encrypt") ? params.get("encrypt") : options.get("encrypt");
            if (encrypt != null && !String.valueOf(encrypt).isEmpty()) {
                throw new LookupException("the password lookup's encrypt= is not supported by fleet; "
                        + "use the plain password with the password_hash filter instead");
            }
            long length = Terms.integer(params.containsKey("length") ? params.get("length")
                    : options.getOrDefault("length", 20), "length");
            if (length < 0 || length > 1 << 16) throw new LookupException(
                    "password length must be 0 to 65536, got " + length);
            String chars = candidates(params.containsKey("chars") ? params.get("chars")
                    : options.getOrDefault("chars", DEFAULT_CHARS));
            Object seed = params.containsKey("seed") ? params.get("seed") : options.get("seed");
            Random random = seed == null ? RANDOM : new Random(String.valueOf(seed).hashCode());
            out.add(password(ctx.resolve(relpath), (int) length, chars, random));
        }
        return out;
    }

    private static String password(Path path, int length, String chars, Random random) throws LookupException {
        if (path.toString().equals("/dev/null")) return generate(length, chars, random);
        synchronized (FILE_LOCK) {
            try {
                if (Files.exists(path)) {
                    String content = Files.readString(path, StandardCharsets.UTF_8).stripTrailing();
                    // Ansible stores "password salt=..." for encrypted use; the password is what comes before.
                    int salt = content.lastIndexOf(" salt=");
                    return salt < 0 ? content : content.substring(0, salt);
                }
                String pw = generate(length, chars, random);
                write(path, pw + "\n");
                return pw;
            } catch (IOException e) {
                throw new LookupException("password file " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private static void write(Path path, String content) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // Written whole under another name first: a reader never sees half a password.
        Path tmp = Files.createTempFile(dir, ".password", ".tmp"); // created 0600
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String generate(int length, String chars, Random random) throws LookupException {
        if (chars.isEmpty()) throw new LookupException(
                "the password lookup has no characters to choose from; check chars=");
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) sb.append(chars.charAt(random.nextInt(chars.length())));
        return sb.toString();
    }

    /** The characters a chars setting allows: class names expanded, literals kept, quotes dropped. */
    static String candidates(Object spec) throws LookupException {
        List<String> parts = new ArrayList<>();
        if (spec instanceof String s) {
            if (s.contains(",,")) parts.add(",");
            for (String p : s.replace(",,", ",").split(",")) if (!p.isEmpty()) parts.add(p);
        } else if (spec instanceof List<?> l) {
            for (Object o : l) parts.add(String.valueOf(o));
        } else {
            throw new LookupException("password chars must be a string or a list, got " + Terms.describe(spec));
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(switch (p) {
                case "ascii_letters" -> LOWER + UPPER;
                case "ascii_lowercase" -> LOWER;
                case "ascii_uppercase" -> UPPER;
                case "digits" -> DIGITS;
                case "hexdigits" -> DIGITS + "abcdefABCDEF";
                case "octdigits" -> "01234567";
                case "punctuation" -> PUNCTUATION;
                case "whitespace" -> WHITESPACE;
                case "printable" -> DIGITS + LOWER + UPPER + PUNCTUATION + WHITESPACE;
                default -> p;
            });
        }
        return sb.toString().replace("\"", "").replace("'", "");
    }
}
