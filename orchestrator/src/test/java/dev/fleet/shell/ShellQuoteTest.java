package dev.fleet.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @Test
    void splitsLikeShlex() throws Exception {
        assertThat(ShellQuote.split("echo 'a b' \"c $d\" e\\ f")).containsExactly("echo", "a b", "c $d", "e f");
        assertThat(ShellQuote.split("  ")).isEmpty();
        assertThat(ShellQuote.split("a''b")).containsExactly("ab");
    }

    @Test
    void hostileWordsStayOneWord() throws Exception {
        for (String hostile : List.of("; rm -rf /", "$(touch /tmp/x)", "`id`", "a\nb", "it's", "\"q\"", "")) {
            String line = ShellQuote.join(List.of("echo", hostile));
            assertThat(ShellQuote.split(line)).containsExactly("echo", hostile);
        }
    }

    @Test
    void plainWordsAreNotQuoted() {
        assertThat(ShellQuote.quote("/var/log/nginx/error.log")).isEqualTo("/var/log/nginx/error.log");
        assertThat(ShellQuote.quote("a b")).isEqualTo("'a b'");
    }

    @Test
    void unterminatedQuoteIsAnError() {
        assertThatThrownBy(() -> ShellQuote.split("echo 'oops")).hasMessageContaining("unterminated single quote");
    }
}
