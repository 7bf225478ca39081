package dev.fleet.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Collects one output stream of a remote command, keeping at most {@code cap} bytes: the tail, because errors and
 * summaries come last. Grows on demand so small outputs stay small. Written by one drain thread, read after it
 * finished.
 */
final class OutputTail implements OutputSink {
    private final int cap;
    private byte[] buf = new byte[1024];
    /** Bytes held: the whole output while it fits, then exactly cap bytes in ring order starting at head. */
    private int size;
    private int head;
    private long total;

    OutputTail(int cap) {
        if (cap <= 0) {
            throw new IllegalArgumentException("cap must be positive");
        }
        this.cap = cap;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        total += len;
        if (len >= cap) {
            // Only the last cap bytes of this chunk can survive.
            buf = buf.length == cap ? buf : new byte[cap];
            System.arraycopy(b, off + len - cap, buf, 0, cap);
            size = cap;
            head = 0;
            return;
        }
        if (size + len <= cap && head == 0) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.min(cap, Math.max(size + len, buf.length * 2)));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
            return;
        }
        // Ring mode: the buffer is (or becomes) exactly cap bytes; overwrite the oldest bytes.
        if (buf.length < cap) {
            buf = Arrays.copyOf(buf, cap);
        }
        for (int i = 0; i < len; ) {
            int pos = (head + size) % cap;
            if (size < cap) {
                int n = Math.min(len - i, cap - pos);
                n = Math.min(n, cap - size);
                System.arraycopy(b, off + i, buf, pos, n);
                size += n;
                i += n;
            } else {
                int n = Math.min(len - i, cap - head);
                System.arraycopy(b, off + i, buf, head, n);
                head = (head + n) % cap;
                i += n;
            }
        }
    }

    long total() {
        return total;
    }

    boolean truncated() {
        return total > size;
    }

    /** Bytes read and thrown away: the start of an output longer than the cap. */
    long dropped() {
        return total - size;
    }

    /** The command's result with these two streams as its output. */
    static CommandResult result(int exitCode, OutputTail stdout, OutputTail stderr, Instant start) {
        return new CommandResult(exitCode, stdout.text("stdout"), stderr.text("stderr"), start, Instant.now(),
                stdout.dropped(), stderr.dropped());
    }

    /** The kept bytes as UTF-8 (malformed sequences replaced), prefixed by a note if the start was dropped. */
    String text(String streamName) {
        byte[] bytes = new byte[size];
        int first = Math.min(size, cap - head);
        System.arraycopy(buf, head, bytes, 0, first);
        System.arraycopy(buf, 0, bytes, first, size - first);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("REPLACE decoding cannot fail", e);
        }
        if (!truncated()) {
            return text;
        }
        return "[fleet: " + streamName + " truncated: the first " + (total - size) + " of " + total
                + " bytes were dropped, showing the last " + size + "]\n" + text;
    }
}
