package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultEnvelope;
import dev.fleet.vault.VaultException;
import dev.fleet.vault.VaultPasswords;
import dev.fleet.vault.VaultSecret;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fleet vault}: ansible-vault's commands and options, reading and writing the same files byte for byte.
 * Messages go to stderr and data to stdout, as ansible-vault does, so {@code fleet vault view f | grep} works.
 */
@Command(name = "vault", mixinStandardHelpOptions = true,
        description = "Encrypts and decrypts Ansible Vault files and strings (like ansible-vault).")
final class VaultCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Where plaintext comes from when no file is named or the file is '-'. */
    InputStream stdin = System.in;

    private static final String OUT = "Output file name for encrypt or decrypt; use - for stdout.";
    private static final String ENC_ID = "The vault id to encrypt with (needed when several are given).";

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a new vault-encrypted file, editing it in $EDITOR.")
    int create(@Mixin VaultOptions opts,
            @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = ENC_ID)
            String encryptId,
            @Parameters(paramLabel = "FILE", arity = "1") String file) {
        return guard(() -> {
            if (Files.exists(Path.of(file))) {
                throw new VaultException(file + " exists; use 'fleet vault edit " + file + "' instead");
            }
            Vault vault = opts.vault(s -> {}, true, true);
            VaultSecret secret = vault.encryptionSecret(encryptId);
            byte[] plain = VaultFiles.edit(new byte[0], VaultFiles.suffixOf(file));
            VaultFiles.write(Path.of(file), bytes(vault.encrypt(plain, secret)));
            VaultFiles.wipe(plain);
        });
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Encrypts files in place (or stdin to stdout).")
    int encrypt(@Mixin VaultOptions opts,
            @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = ENC_ID)
            String encryptId,
            @Option(names = "--output", paramLabel = "FILE", description = OUT) String output,
            @Parameters(paramLabel = "FILE", arity = "0..*") List<String> files) {
        return guard(() -> {
            Vault vault = opts.vault(s -> {}, true, true);
            VaultSecret secret = vault.encryptionSecret(encryptId);
            for (String f : inputs(files, output)) {
                byte[] plain = VaultFiles.read(f, stdin);
                if (VaultEnvelope.isVaulted(plain)) throw new VaultException(f + ": input is already encrypted");
                emit(f, output, bytes(vault.encrypt(plain, secret)));
                VaultFiles.wipe(plain);
            }
            err().println("Encryption successful");
        });
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Decrypts files in place (or stdin to stdout).")
    int decrypt(@Mixin VaultOptions opts,
            @Option(names = "--output", paramLabel = "FILE", description = OUT) String output,
            @Parameters(paramLabel = "FILE", arity = "0..*") List<String> files) {
        return guard(() -> {
            Vault vault = opts.vault(s -> {}, false, true);
            for (String f : inputs(files, output)) {
                byte[] plain = vault.decrypt(text(VaultFiles.read(f, stdin), f), name(f)).plaintext();
                emit(f, output, plain);
                VaultFiles.wipe(plain);
            }
            err().println("Decryption successful");
        });
    }

    @Command(name = "view", mixinStandardHelpOptions = true,
            description = "Shows the plaintext of vault-encrypted files.")
    int view(@Mixin VaultOptions opts, @Parameters(paramLabel = "FILE", arity = "1..*") List<String> files) {
        return guard(() -> {
            Vault vault = opts.vault(s -> {}, false, true);
            for (String f : files) {
                out().print(vault.decrypt(text(VaultFiles.read(f, stdin), f), name(f)).text());
            }
            out().flush();
        });
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Edits a vault-encrypted file in $EDITOR and encrypts it again.")
    int edit(@Mixin VaultOptions opts,
            @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = ENC_ID)
            String encryptId,
            @Parameters(paramLabel = "FILE", arity = "1") String file) {
        return guard(() -> {
            Vault vault = opts.vault(s -> {}, false, true);
            Vault.Decrypted was = vault.decrypt(text(VaultFiles.read(file, stdin), file), file);
            // Saved with the secret that opened it (its id stays in the header) unless told otherwise.
            VaultSecret secret = encryptId != null ? vault.encryptionSecret(encryptId) : secretWithId(vault,
                    was.vaultId());
            byte[] now = VaultFiles.edit(was.plaintext(), VaultFiles.suffixOf(file));
            if (java.util.Arrays.equals(now, was.plaintext()) && encryptId == null) {
                err().println("No changes made to " + file + "; it was left as it was");
            } else {
                VaultFiles.write(Path.of(file), bytes(vault.encrypt(now, secret)));
            }
            VaultFiles.wipe(now);
            VaultFiles.wipe(was.plaintext());
        });
    }

    @Command(name = "rekey", mixinStandardHelpOptions = true,
            description = "Encrypts vault files again with a new password.")
    int rekey(@Mixin VaultOptions opts,
            @Option(names = "--new-vault-password-file", paramLabel = "FILE",
                    description = "New vault password file (or script) to rekey with.") Path newPasswordFile,
            @Option(names = "--new-vault-id", paramLabel = "[LABEL@]SOURCE",
                    description = "New vault identity to rekey with.") String newVaultId,
            @Parameters(paramLabel = "FILE", arity = "1..*") List<String> files) {
        return guard(() -> {
            if (newPasswordFile != null && newVaultId != null) {
                throw new VaultException("give either --new-vault-password-file or --new-vault-id, not both");
            }
            Vault vault = opts.vault(s -> {}, false, true);
            VaultPasswords passwords = new VaultPasswords(opts.prompter);
            VaultSecret fresh = newVaultId != null ? passwords.load(newVaultId, true)
                    : newPasswordFile != null
                            ? passwords.load(List.of(), List.of(newPasswordFile), false, true).get(0)
                            : passwords.load(List.of(), List.of(), true, true).get(0);
            for (String f : files) {
                byte[] plain = vault.decrypt(text(VaultFiles.read(f, stdin), f), f).plaintext();
                VaultFiles.write(Path.of(f), bytes(vault.encrypt(plain, fresh)));
                VaultFiles.wipe(plain);
            }
            err().println("Rekey successful");
        });
    }

    @Command(name = "encrypt_string", mixinStandardHelpOptions = true, aliases = "encrypt-string",
            description = "Encrypts strings (or stdin) as YAML '!vault |' values to paste into vars files.")
    int encryptString(@Mixin VaultOptions opts,
            @Option(names = "--encrypt-vault-id", paramLabel = "ID", description = ENC_ID)
            String encryptId,
            @Option(names = "--output", paramLabel = "FILE", description = OUT) String output,
            @Option(names = {"-n", "--name"}, paramLabel = "NAME",
                    description = "Variable name for each string, in order. Repeatable.") List<String> names,
            @Option(names = "--stdin-name", paramLabel = "NAME", description = "Variable name for stdin.")
            String stdinName,
            @Option(names = {"-p", "--prompt"}, description = "Ask for the string on the terminal.") boolean prompt,
            @Parameters(paramLabel = "STRING", arity = "0..*") List<String> strings) {
        return guard(() -> {
            Vault vault = opts.vault(s -> {}, true, true);
            VaultSecret secret = vault.encryptionSecret(encryptId);
            List<String[]> items = new ArrayList<>(); // {name or null, plaintext}
            List<String> given = strings == null ? List.of() : strings;
            List<String> nameList = names == null ? List.of() : names;
            for (int i = 0; i < given.size(); i++) {
                items.add(new String[] {i < nameList.size() ? nameList.get(i) : null, given.get(i)});
            }
            if (prompt) {
                char[] s = opts.prompter.ask("String to encrypt: ");
                if (s == null || s.length == 0) throw new VaultException("no string given to encrypt");
                items.add(new String[] {nameList.isEmpty() ? null : nameList.get(0), new String(s)});
            }
            if (items.isEmpty() || given.contains("-")) {
                items.removeIf(it -> it[1].equals("-"));
                if (System.console() != null) err().println("Reading plaintext input from stdin. (ctrl-d to end input,"
                        + " twice if your content does not already have a newline)");
                String in = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                if (in.isEmpty()) throw new VaultException("stdin was empty; there is nothing to encrypt");
                items.add(new String[] {stdinName != null ? stdinName
                        : nameList.size() > given.size() ? nameList.get(given.size()) : null, in});
            }
            StringBuilder yaml = new StringBuilder();
            for (String[] it : items) {
                if (!yaml.isEmpty()) yaml.append('\n');
                yaml.append(it[0] == null ? "" : it[0] + ": ").append("!vault |");
                for (String line : vault.encrypt(it[1], secret).split("\n")) {
                    yaml.append('\n').append(" ".repeat(10)).append(line);
                }
                yaml.append('\n');
            }
            if (output == null || output.equals("-")) {
                out().print(yaml);
                out().flush();
            } else {
                VaultFiles.write(Path.of(output), bytes(yaml.toString()));
            }
            err().println("Encryption successful");
        });
    }

    private interface Action {
        void run() throws Exception;
    }

    /** Runs a subcommand: a vault or I/O problem becomes one "ERROR!" line and exit 1, as with ansible-vault. */
    private int guard(Action action) {
        try {
            action.run();
            return ExitCodes.OK;
        } catch (VaultException e) {
            err().println("fleet: ERROR! " + e.getMessage());
        } catch (IllegalArgumentException e) {
            err().println("fleet: ERROR! " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (java.io.IOException e) {
            err().println("fleet: ERROR! " + e.getMessage());
        } catch (Exception e) {
            err().println("fleet: ERROR! unexpected " + e.getClass().getSimpleName());
        }
        return ExitCodes.ERROR;
    }

    /** Files to work on: none (or '-') means stdin to stdout, unless --output names a file. */
    private static List<String> inputs(List<String> files, String output) throws VaultException {
        List<String> list = files == null || files.isEmpty() ? List.of("-") : files;
        if (output != null && list.size() > 1) {
            throw new VaultException("--output takes one input file, but " + list.size() + " were given");
        }
        return list;
    }

    /** Writes a result: to --output (a file, or '-' for stdout), else stdin's to stdout and a file's in place. */
    private void emit(String input, String output, byte[] data) throws VaultException {
        String target = output != null ? output : input;
        if (target.equals("-")) {
            out().print(new String(data, StandardCharsets.UTF_8));
            out().flush();
        } else {
            VaultFiles.write(Path.of(target), data);
        }
    }

    private static VaultSecret secretWithId(Vault vault, String id) {
        return vault.secrets().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static String text(byte[] data, String file) throws VaultException {
        if (!VaultEnvelope.isVaulted(data)) {
            throw new VaultException(name(file) + ": input is not vault encrypted data; it does not start with "
                    + VaultEnvelope.MAGIC);
        }
        return new String(data, StandardCharsets.US_ASCII);
    }

    private static String name(String file) {
        return file.equals("-") ? "stdin" : file;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
