package dev.fleet.template;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Python's {@code random.Random(seed)}: the Mersenne Twister (MT19937) seeded as CPython seeds it, so that
 * {@code random(seed=x)} and {@code shuffle(seed=x)} pick what Ansible picks for the same seed. Written from
 * the published MT19937 algorithm and CPython's documented seeding (int: its absolute value; str: the bytes
 * followed by their SHA-512, read as one big-endian integer).
 */
final class PyRandom {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int index = N + 1;

    PyRandom(Object seed) {
        BigInteger n;
        if (seed instanceof Number num && !(seed instanceof Double || seed instanceof Float)) {
            n = new BigInteger(num.toString()).abs();
        } else {
            byte[] text = Py.str(seed).getBytes(StandardCharsets.UTF_8);
            byte[] sha;
            try {
                sha = MessageDigest.getInstance("SHA-512").digest(text);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            byte[] all = new byte[text.length + sha.length];
            System.arraycopy(text, 0, all, 0, text.length);
            System.arraycopy(sha, 0, all, text.length, sha.length);
            n = new BigInteger(1, all);
        }
        int words = Math.max(1, (n.bitLength() + 31) / 32);
        int[] key = new int[words];
        for (int i = 0; i < words; i++) key[i] = n.shiftRight(32 * i).intValue(); // least significant word first
        seedByArray(key);
    }

    private void seedWith(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        index = N;
    }

    private void seedByArray(int[] key) {
        seedWith(19650218);
        int i = 1, j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) j = 0;
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    private int next32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** A uniform integer in [0, n), by rejection on n's bit length, as CPython's _randbelow. */
    long below(long n) {
        if (n <= 0) return 0;
        int k = 64 - Long.numberOfLeadingZeros(n);
        if (k > 32) throw new FilterFailure("random: ranges beyond 2**32 are not supported");
        long r;
        do {
            r = (next32() & 0xffffffffL) >>> (32 - k);
        } while (r >= n);
        return r;
    }

    /** randrange(start, stop, step). */
    long range(long start, long stop, long step) {
        if (step == 0) throw new FilterFailure("random: zero step for randrange()");
        long width = stop - start;
        long n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step;
        if (n <= 0)
                throw new FilterFailure("random: empty range for randrange(" + start + ", " + stop + ", " + step + ")");
        return start + step * below(n);
    }

    /** shuffle, in place, as CPython does it (Fisher-Yates from the end). */
    void shuffle(List<Object> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = (int) below(i + 1);
            Object t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }
}
