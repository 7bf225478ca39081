package dev.fleet.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns the vault options into secrets, as Ansible reads them: {@code --vault-id [LABEL@]SOURCE} where SOURCE is
 * {@code prompt}, a password file, or an executable script whose standard output is the password (a script named
 * {@code *-client} or {@code *-client.EXT} is also given {@code --vault-id LABEL}); {@code --vault-password-file F}
 * is {@code default@F}; {@code --ask-vault-pass} is {@code default@prompt}. The order is kept: --vault-id values,
 * then password files, then the prompt.
 */
public final class VaultPasswords {
    private static final long SCRIPT_TIMEOUT_SECONDS = 60;

    /** Asks for a password without echo; null when the user gave none (end of input). */
    @FunctionalInterface
    public interface Prompter {
        char[] ask(String prompt) throws VaultException;

        /** The terminal, through {@link System#console()}; fails with what to use instead when there is none. */
        Prompter CONSOLE = prompt -> {
            var console = System.console();
            if (console == null) {
                throw new VaultException("asking for a vault password needs a terminal; use --vault-password-file "
                        + "FILE or --vault-id LABEL@FILE instead");
            }
            return console.readPassword("%s", prompt);
        };
    }

    private final Prompter prompter;

    public VaultPasswords(Prompter prompter) {
        this.prompter = prompter;
    }

    /** The secrets named by the options, in Ansible's order; {@code confirm} asks twice at a prompt (encrypting). */
    public List<VaultSecret> load(List<String> vaultIds, List<Path> passwordFiles, boolean askVaultPass,
            boolean confirm) throws VaultException {
        List<VaultSecret> out = new ArrayList<>();
        for (String spec : vaultIds) out.add(load(spec, confirm));
        for (Path f : passwordFiles) out.add(fromFile(VaultSecret.DEFAULT_ID, f));
        if (askVaultPass) out.add(fromPrompt(VaultSecret.DEFAULT_ID, confirm));
        return out;
    }

    /** One {@code [LABEL@]SOURCE}. */
    public VaultSecret load(String spec, boolean confirm) throws VaultException {
        int at = spec.indexOf('@');
        String id = at < 0 ? VaultSecret.DEFAULT_ID : spec.substring(0, at);
        String source = at < 0 ? spec : spec.substring(at + 1);
        if (id.isEmpty() || source.isEmpty() || id.contains(";")) {
            throw new VaultException("--vault-id '" + spec + "' is not LABEL@SOURCE (SOURCE a password file, an "
                    + "executable script, or 'prompt'; LABEL without ';')");
        }
        if (source.equals("prompt") || source.equals("prompt_ask_vault_pass")) return fromPrompt(id, confirm);
        return fromFile(id, Path.of(source));
    }

    VaultSecret fromPrompt(String id, boolean confirm) throws VaultException {
        String label = id.equals(VaultSecret.DEFAULT_ID) ? "" : " (" + id + ")";
        char[] pw = prompter.ask((confirm ? "New vault password" : "Vault password") + label + ": ");
        if (pw == null || pw.length == 0) throw new VaultException("no vault password given at the prompt" + label);
        if (confirm) {
            char[] again = prompter.ask("Confirm new vault password" + label + ": ");
            boolean same = Arrays.equals(pw, again);
            if (again != null) Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(pw, '\0');
                throw new VaultException("the vault passwords do not match" + label + "; try again");
            }
        }
        byte[] bytes = new String(pw).getBytes(StandardCharsets.UTF_8);
        Arrays.fill(pw, '\0');
        return new VaultSecret(id, bytes);
    }

    VaultSecret fromFile(String id, Path file) throws VaultException {
        if (!Files.exists(file)) {
            throw new VaultException("the vault password file " + file + " was not found (vault id '" + id + "')");
        }
        byte[] pw;
        if (Files.isExecutable(file) && Files.isRegularFile(file)) {
            pw = strip(runScript(id, file), false);
            if (pw.length == 0) throw new VaultException("the vault password script " + file
                    + " printed no password (vault id '" + id + "'); it must print the password on stdout");
        } else {
            try {
                pw = strip(Files.readAllBytes(file), true);
            } catch (IOException e) {
                throw new VaultException("cannot read the vault password file " + file + ": " + e.getMessage());
            }
            if (pw.length == 0) throw new VaultException("the vault password file " + file
                    + " is empty (vault id '" + id + "'); put the password on its first line");
        }
        return new VaultSecret(id, pw);
    }

    private static byte[] runScript(String id, Path script) throws VaultException {
        List<String> cmd = new ArrayList<>(List.of(script.toAbsolutePath().toString()));
        String name = script.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        // Ansible's convention: a "client" script serves several ids and is told which one is wanted.
        if (name.endsWith("-client") || stem.endsWith("-client")) cmd.addAll(List.of("--vault-id", id));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new VaultException("cannot run the vault password script " + script + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            byte[] out = readAll(p.getInputStream());
            String err = new String(readAll(p.getErrorStream()), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VaultException("the vault password script " + script + " did not finish within "
                        + SCRIPT_TIMEOUT_SECONDS + "s");
            }
            if (p.exitValue() != 0) {
                Arrays.fill(out, (byte) 0);
                // stderr is the script's own diagnostics, not its stdout (where the password would be)
                throw new VaultException("the vault password script " + script + " exited with " + p.exitValue()
                        + " (vault id '" + id + "')" + (err.isEmpty() ? "" : ": " + err));
            }
            return out;
        } catch (IOException e) {
            throw new VaultException("cannot read from the vault password script " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while running the vault password script " + script);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
    }

    /** A file loses surrounding whitespace, a script's output only surrounding line breaks (as in Ansible). */
    private static byte[] strip(byte[] b, boolean allWhitespace) {
        int from = 0;
        int to = b.length;
        while (from < to && strippable(b[from], allWhitespace)) from++;
        while (to > from && strippable(b[to - 1], allWhitespace)) to--;
        byte[] out = Arrays.copyOfRange(b, from, to);
        Arrays.fill(b, (byte) 0);
        return out;
    }

    private static boolean strippable(byte c, boolean allWhitespace) {
        if (c == '\r' || c == '\n') return true;
        return allWhitespace && (c == ' ' || c == '\t' || c == 0x0b || c == '\f');
    }
}
