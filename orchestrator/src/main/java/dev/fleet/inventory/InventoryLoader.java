package dev.fleet.inventory;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultEnvelope;
import dev.fleet.vault.VaultException;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads one or more inventory sources into one {@link Inventory}, as Ansible does with several {@code -i}: hosts
 * and groups are united, and where a source sets a variable again, the later source wins.
 *
 * <p>A source is a file, a directory or an inline host list ({@code 'web1,web2:2222,'}, only when no such file
 * exists and the text contains a comma). A file is an executable inventory script (see {@link InventoryScript})
 * when it is executable and starts with {@code #!} (or is an ELF binary); otherwise INI or YAML as told by
 * {@link Inventory#isYaml}. A directory is read entry by entry in name order, recursing into subdirectories and
 * skipping hidden entries, {@code group_vars}, {@code host_vars}, {@code vars_plugins} and names ending in one
 * of Ansible's default {@code inventory_ignore_extensions}. {@code group_vars/} and {@code host_vars/} are read
 * beside each file source and inside each directory source (not in its subdirectories), none for host lists.
 */
public final class InventoryLoader {
    /** Ansible 2.14's INVENTORY_IGNORE_EXTS default: REJECT_EXTS plus .orig, .ini, .cfg, .retry (yes, .ini). */
    private static final List<String> IGNORED_SUFFIXES = List.of("~", ".orig", ".ini", ".cfg", ".retry", ".pyc",
            ".pyo", ".swp", ".bak", ".rpm", ".md", ".txt", ".rst");
    private static final Set<String> IGNORED_NAMES = Set.of("group_vars", "host_vars", "vars_plugins");
    /** Ansible has no limit; a hung script must not hang a run before any host is touched. */
    static final Duration DEFAULT_SCRIPT_TIMEOUT = Duration.ofSeconds(60);

    private final InventoryBuilder builder;
    private final Duration scriptTimeout;
    private final Set<Path> varsBases = new LinkedHashSet<>();

    private InventoryLoader(InventoryBuilder builder, Duration scriptTimeout) {
        this.builder = builder;
        this.scriptTimeout = scriptTimeout;
    }

    /**
     * Loads the sources in order into one inventory.
     *
     * @throws ParseException for a source that does not exist, cannot be read or is malformed (with its position)
     */
    public static Inventory load(List<String> sources, Vault vault) throws ParseException {
        return load(sources, vault, DEFAULT_SCRIPT_TIMEOUT);
    }

    static Inventory load(List<String> sources, Vault vault, Duration scriptTimeout) throws ParseException {
        if (sources.isEmpty()) throw new IllegalArgumentException("no inventory sources");
        InventoryBuilder builder = new InventoryBuilder(String.join(", ", sources), vault);
        InventoryLoader loader = new InventoryLoader(builder, scriptTimeout);
        for (String s : sources) loader.source(s);
        return builder.build(new ArrayList<>(loader.varsBases));
    }

    /**
     * An inventory from its {@code ansible-inventory --list} JSON (as {@link InventoryViews#list} writes it): how a
     * clustered run hands its inventory, already loaded and merged, to its workers.
     */
    public static Inventory fromList(String listJson, String name) throws ParseException {
        InventoryBuilder builder = new InventoryBuilder(name, Vault.NONE);
        InventoryScript.parseList(listJson, name, builder);
        return builder.build(new ArrayList<>());
    }

    /** Whether a source names an inline host list rather than a file: no such path, and a comma in it. */
    public static boolean isHostList(String source) {
        return source.contains(",") && !Files.exists(Path.of(source));
    }

    private void source(String spec) throws ParseException {
        if (isHostList(spec)) {
            StringBuilder ini = new StringBuilder();
            for (String h : spec.split(",")) if (!h.isBlank()) ini.append(h.strip()).append('\n');
            IniInventoryParser.parse(ini.toString(), "-i '" + spec + "'", builder);
            return;
        }
        Path path = Path.of(spec);
        if (Files.isDirectory(path)) {
            varsBases.add(path);
            directory(path);
        } else {
            file(path);
            varsBases.add(path.toAbsolutePath().getParent());
        }
    }

    private void directory(Path dir) throws ParseException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = new ArrayList<>(s.filter(InventoryLoader::isInventoryEntry).toList());
        } catch (IOException e) {
            throw new ParseException(SourcePosition.of(dir.toString()), "cannot list directory: " + e.getMessage());
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path p : entries) {
            if (Files.isDirectory(p)) directory(p);
            else if (Files.isRegularFile(p)) file(p);
        }
    }

    private void file(Path file) throws ParseException {
        if (isScript(file)) {
            InventoryScript.run(file, builder, scriptTimeout);
            return;
        }
        String text = read(file);
        String name = file.toString();
        if (VaultEnvelope.isVaulted(text)) {
            // The format is told from the plaintext; YAML is then read from the vault text again so that the
            // loader reveals its values as secrets. (INI values of a vaulted inventory are not revealed.)
            String plain;
            try {
                plain = builder.vault.decryptDocument(text, name).text();
            } catch (VaultException e) {
                throw new ParseException(SourcePosition.of(name), e.problem());
            }
            if (!Inventory.isYaml(plain, name)) IniInventoryParser.parse(plain, name, builder);
            else YamlInventoryParser.parse(text, name, builder);
            return;
        }
        parse(text, name, builder);
    }

    static void parse(String text, String name, InventoryBuilder builder) throws ParseException {
        if (Inventory.isYaml(text, name)) YamlInventoryParser.parse(text, name, builder);
        else IniInventoryParser.parse(text, name, builder);
    }

    /**
     * Executable and a program, not text: Ansible tries to execute any executable file, and a text file without
     * {@code #!} then fails to execute and is read as INI/YAML. (Java would run it with /bin/sh instead.)
     */
    private static boolean isScript(Path file) {
        if (!Files.isExecutable(file)) return false;
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return false; // reported when it is read as a file
        }
        boolean shebang = n >= 2 && head[0] == '#' && head[1] == '!';
        boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        return shebang || elf;
    }

    private static boolean isInventoryEntry(Path p) {
        String n = p.getFileName().toString();
        if (n.startsWith(".") || IGNORED_NAMES.contains(n)) return false;
        for (String suffix : IGNORED_SUFFIXES) if (n.endsWith(suffix)) return false;
        return true;
    }

    private static String read(Path file) throws ParseException {
        String name = file.toString();
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ParseException(SourcePosition.of(name), "inventory file not found; check the path");
        } catch (MalformedInputException e) {
            throw new ParseException(SourcePosition.of(name), "not UTF-8 text; inventory files must be UTF-8");
        } catch (IOException e) {
            throw new ParseException(SourcePosition.of(name), "cannot read inventory: " + e.getMessage());
        }
    }
}
