package dev.fleet.yaml;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultEnvelope;
import dev.fleet.vault.VaultException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Loads YAML into {@link YamlNode}s with positions, using snakeyaml's composer (not its object constructor)
 * so that every node keeps its line and column. Anchors and aliases work; duplicate keys are an error, as a
 * silently ignored duplicate in a playbook is a bug waiting to happen.
 *
 * <p>Vaulted data is read with the {@link Vault} the caller passes (the run's secrets; {@link Vault#NONE} by
 * default): a whole file that starts with {@code $ANSIBLE_VAULT;} is decrypted first, and a scalar tagged
 * {@code !vault} becomes its decrypted string. Every value that came out of a vault is revealed to the vault's
 * listener, so the run can keep it out of its output.
 */
public final class YamlLoader {
    private static final int MAX_ALIASES = 50;
    private static final int MAX_DEPTH = 100;

    private YamlLoader() {}

    private static final Tag VAULT_TAG = new Tag("!vault");

    /** Loads a file; an empty file gives {@code null}. Vaulted content fails with what option to pass. */
    public static YamlNode load(Path file) throws ParseException {
        return load(file, Vault.NONE);
    }

    /** Loads YAML text; {@code name} is used in positions. An empty document gives {@code null}. */
    public static YamlNode load(String text, String name) throws ParseException {
        return load(text, name, Vault.NONE);
    }

    /** Loads a file, decrypting vaulted content with {@code vault}; an empty file gives {@code null}. */
    public static YamlNode load(Path file, Vault vault) throws ParseException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ParseException(SourcePosition.of(name), "file not found; check the path");
        } catch (MalformedInputException e) {
            throw new ParseException(SourcePosition.of(name), "not UTF-8 text; YAML files must be UTF-8");
        } catch (IOException e) {
            throw new ParseException(SourcePosition.of(name), "cannot read file: " + e.getMessage());
        }
        return load(text, name, vault);
    }

    /** Loads YAML text, decrypting vaulted content with {@code vault}; {@code name} is used in positions. */
    public static YamlNode load(String text, String name, Vault vault) throws ParseException {
        if (VaultEnvelope.isVaulted(text)) {
            try {
                text = vault.decryptDocument(text, name).text();
            } catch (VaultException e) {
                throw new ParseException(SourcePosition.of(name), e.problem());
            }
            YamlNode root = parse(text, name, vault);
            revealValues(root, vault);
            return root;
        }
        return parse(text, name, vault);
    }

    /** Every scalar of a vaulted document is secret: reveal each (booleans and nulls say nothing). */
    private static void revealValues(YamlNode node, Vault vault) {
        switch (node) {
            case null -> {}
            case YamlNode.Scalar s -> {
                if (s.value() != null && !(s.value() instanceof Boolean)) vault.reveal(String.valueOf(s.value()));
            }
            case YamlNode.Sequence seq -> seq.items().forEach(n -> revealValues(n, vault));
            case YamlNode.Mapping m -> m.entries().values().forEach(n -> revealValues(n, vault));
        }
    }

    private static YamlNode parse(String text, String name, Vault vault) throws ParseException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with both positions
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(64 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options);
        Node root;
        try {
            root = yaml.compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) problem = problem + " (" + e.getContext() + ")";
            throw new ParseException(at(name, mark), "invalid YAML: " + problem.strip());
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            // A character YAML does not allow (control characters, lone surrogates): snakeyaml only gives its index.
            throw new ParseException(atCodePoint(name, text, e.getPosition()), "invalid YAML: character U+"
                    + String.format("%04X", e.getCodePoint()) + " is not allowed (control character or invalid "
                    + "unicode)");
        } catch (YAMLException e) {
            // The composer's nesting limit carries no position: find where the nesting got too deep.
            throw new ParseException(tooDeep(yaml, text, name), "invalid YAML: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new ParseException(SourcePosition.of(name), "invalid YAML: nested too deeply");
        }
        if (root == null) return null;
        return convert(root, name, new HashMap<>(), 0, vault);
    }

    /** Line and column (1-based) of the code point at {@code index}. */
    static SourcePosition atCodePoint(String name, String text, int index) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; i < text.length() && cp < index; cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(name, line, column);
    }

    /** Where collections nest deeper than {@link #MAX_DEPTH} (parser events carry marks), else just the file. */
    private static SourcePosition tooDeep(Yaml yaml, String text, String name) {
        try {
            int depth = 0;
            for (org.yaml.snakeyaml.events.Event ev : yaml.parse(new StringReader(text))) {
                if (ev instanceof org.yaml.snakeyaml.events.CollectionStartEvent) {
                    if (++depth > MAX_DEPTH) return at(name, ev.getStartMark());
                } else if (ev instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (YAMLException | StackOverflowError e) {
            // the position is a nicety; the message stands without it
        }
        return SourcePosition.of(name);
    }

    static SourcePosition at(String name, Mark mark) {
        if (mark == null) return SourcePosition.of(name);
        return new SourcePosition(name, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static YamlNode convert(Node node, String name, Map<Node, YamlNode> seen, int depth, Vault vault)
            throws ParseException {
        SourcePosition pos = at(name, node.getStartMark());
        if (depth > MAX_DEPTH) throw new ParseException(pos, "YAML nested more than " + MAX_DEPTH + " levels deep");
        YamlNode done = seen.get(node);
        if (done != null) return done; // an alias to an already converted anchor
        YamlNode result;
        switch (node) {
            case ScalarNode s when s.getTag().equals(VAULT_TAG) -> {
                String plain = decryptScalar(s.getValue(), pos, vault);
                result = new YamlNode.Scalar(plain, plain, pos);
            }
            case ScalarNode s -> result = new YamlNode.Scalar(scalarValue(s, pos), s.getValue(), pos);
            case SequenceNode seq -> {
                List<YamlNode> items = new ArrayList<>();
                for (Node child : seq.getValue()) items.add(convert(child, name, seen, depth + 1, vault));
                result = new YamlNode.Sequence(items, pos);
            }
            case MappingNode map -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, SourcePosition> keys = new HashMap<>();
                for (NodeTuple t : map.getValue()) {
                    Node k = t.getKeyNode();
                    SourcePosition kpos = at(name, k.getStartMark());
                    if (k.getTag().equals(Tag.MERGE)) {
                        mergeInto(convert(t.getValueNode(), name, seen, depth + 1, vault), entries, keys, kpos);
                        continue;
                    }
                    if (!(k instanceof ScalarNode ks)) {
                        throw new ParseException(kpos, "mapping keys must be plain strings, found a "
                                + (k instanceof SequenceNode ? "sequence" : "mapping"));
                    }
                    String key = ks.getValue();
                    if (entries.containsKey(key) && keys.containsKey(key)) {
                        throw new ParseException(kpos, "duplicate key '" + key + "' (first defined at line "
                                + keys.get(key).line() + "); remove one of them");
                    }
                    entries.put(key, convert(t.getValueNode(), name, seen, depth + 1, vault));
                    keys.put(key, kpos);
                }
                result = new YamlNode.Mapping(entries, keys, pos);
            }
            default -> throw new ParseException(pos, "unsupported YAML node");
        }
        seen.put(node, result);
        return result;
    }

    /** A {@code !vault |} value: always a string once decrypted, as in Ansible. */
    private static String decryptScalar(String vaultText, SourcePosition pos, Vault vault) throws ParseException {
        if (!VaultEnvelope.isVaulted(vaultText)) {
            throw new ParseException(pos, "a !vault value must be vault text starting with " + VaultEnvelope.MAGIC
                    + "; make one with 'fleet vault encrypt_string'");
        }
        try {
            return vault.decrypt(vaultText, pos.toString()).text();
        } catch (VaultException e) {
            throw new ParseException(pos, e.problem());
        }
    }

    private static void mergeInto(YamlNode merged, Map<String, YamlNode> entries, Map<String, SourcePosition> keys,
            SourcePosition pos) throws ParseException {
        List<YamlNode> sources = merged instanceof YamlNode.Sequence s ? s.items() : List.of(merged);
        for (YamlNode src : sources) {
            if (!(src instanceof YamlNode.Mapping m)) {
                throw new ParseException(pos, "'<<' merge expects a mapping or a list of mappings");
            }
            // explicit keys win over merged ones; merged keys are not duplicates
            m.entries().forEach(entries::putIfAbsent);
        }
    }

    private static Object scalarValue(ScalarNode s, SourcePosition pos) throws ParseException {
        String v = s.getValue();
        Tag tag = s.getTag();
        try {
            if (tag.equals(Tag.NULL)) return null;
            if (tag.equals(Tag.BOOL)) return switch (v.toLowerCase()) {
                case "true", "yes", "on", "y" -> Boolean.TRUE;
                default -> Boolean.FALSE;
            };
            if (tag.equals(Tag.INT)) {
                String t = v.replace("_", "");
                long n;
                if (t.startsWith("0x") || t.startsWith("-0x")) n = Long.decode(t);
                else if (t.matches("[-+]?0[0-7]+")) n = Long.parseLong(t, 8);
                else if (t.contains(":")) return v; // sexagesimal: keep the text
                else n = Long.parseLong(t);
                if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return (int) n;
                return n;
            }
            if (tag.equals(Tag.FLOAT)) {
                String t = v.replace("_", "").toLowerCase();
                if (t.endsWith(".inf")) return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                if (t.equals(".nan")) return Double.NaN;
                if (t.contains(":")) return v;
                return Double.parseDouble(t);
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }
}
