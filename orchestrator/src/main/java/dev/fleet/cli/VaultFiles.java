package dev.fleet.cli;

import dev.fleet.shell.ShellQuote;
import dev.fleet.vault.VaultException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** File handling for {@code fleet vault}: reading input, replacing files safely, the editor round trip. */
final class VaultFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private VaultFiles() {}

    /** A file's bytes, or standard input for {@code -}. */
    static byte[] read(String file, InputStream stdin) throws VaultException {
        try {
            return file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new VaultException(file + ": file not found; check the path");
        } catch (IOException e) {
            throw new VaultException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * Replaces (or creates) {@code file} with {@code data} through a temporary file in the same directory, so a
     * crash never leaves half a vault; an existing file keeps its permissions, a new one is private to the owner.
     */
    static void write(Path file, byte[] data) throws VaultException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Set<PosixFilePermission> mode = Files.exists(file) ? Files.getPosixFilePermissions(file) : OWNER_ONLY;
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(tmp, data);
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new VaultException(file + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) deleteQuietly(tmp);
        }
    }

    /**
     * Lets the user edit {@code content} in $EDITOR (default vi) and returns what they saved. The plaintext lives
     * only in a 0600 temporary file, which is overwritten and removed afterwards whatever happens.
     */
    static byte[] edit(byte[] content, String suffix) throws VaultException {
        String editor = System.getenv("EDITOR");
        if (editor == null || editor.isBlank()) editor = "vi";
        List<String> cmd;
        try {
            cmd = new ArrayList<>(ShellQuote.split(editor));
        } catch (ShellQuote.UnbalancedQuote e) {
            throw new VaultException("$EDITOR cannot be split into words: " + e.getMessage());
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("fleet-vault-", suffix, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(tmp, content);
            cmd.add(tmp.toString());
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new VaultException("the editor (" + editor + ") exited with " + rc + "; nothing was saved");
            }
            return Files.readAllBytes(tmp);
        } catch (IOException e) {
            throw new VaultException("cannot run the editor (" + editor + "): " + e.getMessage()
                    + "; set $EDITOR to an editor that is installed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException("interrupted while waiting for the editor; nothing was saved");
        } finally {
            if (tmp != null) shred(tmp);
        }
    }

    /** Overwrites before deleting: the plaintext should not linger in free disk blocks longer than needed. */
    private static void shred(Path file) {
        try {
            long size = Files.size(file);
            byte[] zeros = new byte[(int) Math.min(size, 1 << 20)];
            try (var out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.WRITE)) {
                for (long done = 0; done < size; done += zeros.length) out.write(zeros);
            }
        } catch (IOException e) {
            // deleting below is what matters
        }
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("fleet: WARNING: could not remove temporary file " + file + ": " + e.getMessage());
        }
    }

    static String suffixOf(String file) {
        String name = Path.of(file).getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }

    static void wipe(byte[] b) {
        if (b != null) Arrays.fill(b, (byte) 0);
    }
}
