package net.schmizz.sshj.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * fleet replaces sshj's transport reader (see {@link Reader}); these checks fail when an sshj upgrade changes
 * what TransportImpl expects of it, or when sshj's own copy is loaded instead of fleet's.
 */
class SshjReaderShadowTest {

    @Test
    void fleetsReaderIsTheOneLoaded() throws Exception {
        Field chunk = Reader.class.getDeclaredField("CHUNK");
        assertThat(chunk.getInt(null)).isLessThan(32 * 1024);
        assertThat(Reader.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .doesNotContain("sshj");
    }

    @Test
    void transportStillBuildsItsReaderThroughTheSameConstructor() throws Exception {
        // TransportImpl creates `new Reader(this)` and keeps it in a field of that type: both must still hold.
        assertThat(Reader.class.getConstructor(TransportImpl.class)).isNotNull();
        Field reader = TransportImpl.class.getDeclaredField("reader");
        assertThat(reader.getType()).isEqualTo(Reader.class);
        assertThat(Modifier.isPublic(Reader.class.getModifiers())).isTrue();
        assertThat(Thread.class.isAssignableFrom(Reader.class)).isTrue();
    }
}
