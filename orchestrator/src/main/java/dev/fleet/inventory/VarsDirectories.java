package dev.fleet.inventory;

import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code group_vars/NAME} and {@code host_vars/NAME} like Ansible's host_group_vars plugin: the first of
 * {@code NAME}, {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json} that exists is used (only that one); when it
 * is a directory, all its files with those extensions (or none) are read recursively in name order, later files
 * overriding earlier ones. Hidden files and editor backups ({@code ~}) are skipped.
 */
final class VarsDirectories {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private VarsDirectories() {}

    static Map<String, Object> load(Path dir, String name, Vault vault) throws ParseException {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (!Files.isDirectory(dir) || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            return vars;
        }
        for (String ext : EXTENSIONS) {
            Path candidate = dir.resolve(name + ext);
            if (Files.isDirectory(candidate)) {
                for (Path f : filesIn(candidate)) vars.putAll(read(f, vault));
                break;
            }
            if (Files.isRegularFile(candidate)) {
                vars.putAll(read(candidate, vault));
                break;
            }
        }
        return vars;
    }

    private static List<Path> filesIn(Path dir) throws ParseException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = new ArrayList<>(s.toList());
        } catch (IOException e) {
            throw new ParseException(SourcePosition.of(dir.toString()), "cannot list directory: " + e.getMessage());
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<Path> out = new ArrayList<>();
        for (Path p : entries) {
            String n = p.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) continue;
            int dot = n.lastIndexOf('.');
            String ext = dot > 0 ? n.substring(dot) : "";
            if (Files.isDirectory(p) && ext.isEmpty()) out.addAll(filesIn(p));
            else if (Files.isRegularFile(p) && EXTENSIONS.contains(ext)) out.add(p);
        }
        return out;
    }

    private static Map<String, Object> read(Path file, Vault vault) throws ParseException {
        YamlNode root = YamlLoader.load(file, vault);
        if (root == null || (root instanceof YamlNode.Scalar s && s.isNull())) return Map.of();
        if (!(root instanceof YamlNode.Mapping m)) {
            throw new ParseException(root.position(), "a vars file must be a mapping of variable names to values;"
                    + " found a " + root.kind());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) m.toPlain();
        return plain;
    }
}
