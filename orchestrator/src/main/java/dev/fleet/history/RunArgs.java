package dev.fleet.history;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a CLI run was started with beyond {@link RunMeta}, so that {@code fleet run --retry-failed RUN} can start it
 * again: paths are absolute (the retry may run from another directory). Inline {@code -e} values are not kept, only
 * how many there were: they may hold secrets, and the history holds none; the retry asks for them again.
 *
 * @param playbook        the playbook file, absolute
 * @param inventory       the {@code -i} sources in order: files and directories absolute, host lists as given
 * @param extraVarFiles   the {@code -e @file} values in order, each {@code @/absolute/path}
 * @param inlineExtraVars how many {@code -e} values were given inline ({@code k=v} or JSON)
 */
public record RunArgs(String playbook, List<String> inventory, List<String> extraVarFiles, int inlineExtraVars) {
    public RunArgs {
        inventory = List.copyOf(inventory);
        extraVarFiles = List.copyOf(extraVarFiles);
    }

    String toJson() {
        return new JsonObject().put("playbook", playbook).put("inventory", new JsonArray(inventory))
                .put("extra_var_files", new JsonArray(extraVarFiles)).put("inline_extra_vars", inlineExtraVars)
                .encode();
    }

    /** The stored column; null (a run recorded before this column, or not by the CLI) or unreadable gives null. */
    static RunArgs fromJson(String json) {
        if (json == null || json.isBlank()) return null;
        try {
            JsonObject o = new JsonObject(json);
            return new RunArgs(o.getString("playbook"), strings(o.getJsonArray("inventory")),
                    strings(o.getJsonArray("extra_var_files")), o.getInteger("inline_extra_vars", 0));
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static List<String> strings(JsonArray a) {
        return a == null ? List.of() : a.stream().map(String::valueOf).toList();
    }
}
