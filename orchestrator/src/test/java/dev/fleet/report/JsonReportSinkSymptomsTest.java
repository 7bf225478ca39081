package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportSinkSymptomsTest {
    @TempDir
    Path dir;

    @Test
    void symptomsAreAddedAndTheSchemaStaysV1() throws Exception {
        Path out = dir.resolve("r.json");
        Results.sampleRun(30).feed(new JsonReportSink(out));
        JsonObject j = new JsonObject(Files.readString(out));
        assertThat(j.getString("schema")).isEqualTo("fleet.run/v1");
        assertThat(j.getJsonObject("hosts").getJsonObject("web01").getJsonArray("tasks")).hasSize(4);
        var symptoms = j.getJsonArray("symptoms");
        assertThat(symptoms).hasSize(2);
        JsonObject first = symptoms.getJsonObject(0);
        assertThat(first.getInteger("count")).isEqualTo(9);
        assertThat(first.getString("task")).isEqualTo("Step 2 upstream socket");
        assertThat(first.getString("play")).isEqualTo("Fix 502 Bad Gateway");
        assertThat(first.getString("source")).isEqualTo("playbooks/nginx-502-recovery.yml:24:7");
        assertThat(first.getString("status")).isEqualTo("failed");
        assertThat(first.getString("message")).contains("<pid>#<tid>: *<conn> connect() to unix:/run/php/php8.3-fpm.sock");
        assertThat(first.getString("example")).contains("93#93: *9 connect()");
        assertThat(first.getJsonArray("hosts").getList()).startsWith("web03", "web06").hasSize(9);
        JsonObject second = symptoms.getJsonObject(1);
        assertThat(second.getString("status")).isEqualTo("unreachable");
        assertThat(second.getJsonArray("hosts").getList()).containsExactly("web07", "web17", "web27");
    }

    @Test
    void aCleanRunHasAnEmptySymptomList() throws Exception {
        Path out = dir.resolve("r.json");
        var run = new Results.Run("pb.yml", java.util.List.of("h1"));
        run.play("p", java.util.List.of("h1"));
        run.result(Results.result("h1", "t", dev.fleet.result.TaskStatus.OK, 0, "", "", ""));
        run.endPlay("p");
        run.feed(new JsonReportSink(out));
        assertThat(new JsonObject(Files.readString(out)).getJsonArray("symptoms")).isEmpty();
    }
}
