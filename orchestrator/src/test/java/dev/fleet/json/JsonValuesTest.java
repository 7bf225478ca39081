package dev.fleet.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    @Test
    void nestedJsonBecomesPlainMapsAndListsInOrder() {
        Object v = JsonValues.plain(new JsonObject("{\"b\":1,\"a\":[{\"x\":null},[true,\"s\"]],\"c\":{\"d\":2.5}}"));
        assertThat(v).isInstanceOf(java.util.LinkedHashMap.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertThat(m.keySet()).containsExactly("b", "a", "c");
        List<?> a = (List<?>) m.get("a");
        assertThat(a.get(0)).isInstanceOf(Map.class).isNotInstanceOf(JsonObject.class);
        assertThat(((Map<?, ?>) a.get(0)).get("x")).isNull();
        assertThat(((Map<?, ?>) a.get(0)).containsKey("x")).isTrue();
        assertThat(a.get(1)).isEqualTo(List.of(true, "s"));
        assertThat(m.get("c")).isEqualTo(Map.of("d", 2.5));
        assertThat(JsonValues.plain("scalar")).isEqualTo("scalar");
    }
}
