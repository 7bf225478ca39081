package dev.fleet.engine;

import dev.fleet.modules.ModuleException;
import dev.fleet.playbook.Keywords;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.TransportException;
import dev.fleet.yaml.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A looping task on one host: the items ({@link LoopItems}), each run with the loop variable, {@code index_var}
 * and {@code ansible_loop} bound, facts set by one item visible to the next, and the results shaped as Ansible
 * registers them ({@code results}, {@code msg}, {@code skipped}).
 */
final class TaskLoop {

    /** One item's run: the task's condition, retries and module, with the item's variables. */
    interface Item {
        TaskOutcome run(Map<String, Object> itemVars)
                throws TemplateException, TransportException, ParseException, ModuleException;
    }

    private final Templater templater;

    TaskLoop(Templater templater) {
        this.templater = templater;
    }

    /** Runs {@code item} for every item of {@code k}'s loop and shapes the results as Ansible registers them. */
    TaskOutcome run(Keywords k, Map<String, Object> vars, Item runItem)
            throws TemplateException, TransportException, ParseException, ModuleException {
        List<?> items;
        try {
            items = LoopItems.of(k, vars, templater);
        } catch (TemplateException e) {
            // As Ansible: a loop that cannot be rendered (undefined, not a list) is only an error when the task's
            // condition holds; evaluated without an item, a false 'when' skips the whole task.
            for (String cond : k.when()) {
                boolean holds;
                try {
                    holds = templater.evaluate(cond, vars);
                } catch (TemplateException notWithoutItem) {
                    continue;
                }
                if (!holds) return WhenConditions.skipped(cond);
            }
            throw e;
        }
        List<Object> results = new ArrayList<>();
        Map<String, Object> loopFacts = new LinkedHashMap<>();
        Map<String, Object> running = new LinkedHashMap<>(vars);
        boolean changed = false;
        boolean failed = false;
        boolean allSkipped = true;
        for (int index = 0; index < items.size(); index++) {
            Object item = items.get(index);
            if (index > 0 && !k.loopControl().pause().isZero()) pause(k.loopControl().pause());
            Map<String, Object> itemVars = new LinkedHashMap<>(running);
            itemVars.put(k.loopVar(), item);
            itemVars.put("ansible_loop_var", k.loopVar());
            if (k.loopControl().indexVar() != null) itemVars.put(k.loopControl().indexVar(), index);
            itemVars.put("ansible_loop", loopInfo(items, index, k.loopControl().extended()));
            TaskOutcome o;
            try {
                o = runItem.run(itemVars);
            } catch (TemplateException | ModuleException e) {
                o = TaskOutcome.failed(e.getMessage());
            }
            if (o.status() == TaskStatus.UNREACHABLE) return o;
            // set_fact and friends: what one item sets, the next items see (acc: "{{ acc + [item] }}")
            if (o.data().get("ansible_facts") instanceof Map<?, ?> f && o.status() != TaskStatus.FAILED) {
                f.forEach((key, v) -> {
                    running.put(String.valueOf(key), v);
                    loopFacts.put(String.valueOf(key), v);
                });
            }
            Map<String, Object> r = Registered.of(o);
            if (o.data().get("ansible_facts") != null) r.put("ansible_facts", o.data().get("ansible_facts"));
            r.put(k.loopVar(), item);
            r.put("item", item);
            r.put("ansible_loop_var", k.loopVar());
            if (k.loopControl().indexVar() != null) r.put(k.loopControl().indexVar(), index);
            results.add(r);
            changed |= o.status() == TaskStatus.CHANGED;
            failed |= o.status() == TaskStatus.FAILED;
            allSkipped &= o.status() == TaskStatus.SKIPPED;
        }
        boolean skipped = allSkipped; // an empty loop is skipped too, as Ansible reports it
        TaskStatus status = failed ? TaskStatus.FAILED : changed ? TaskStatus.CHANGED
                : skipped ? TaskStatus.SKIPPED : TaskStatus.OK;
        String msg = failed ? "One or more items failed" : items.isEmpty() ? "No items in the list"
                : skipped ? "All items skipped" : "All items completed";
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("results", results);
        data.put("skipped", skipped);
        if (items.isEmpty()) data.put("skipped_reason", "No items in the list");
        if (!loopFacts.isEmpty()) data.put("ansible_facts", loopFacts);
        return new TaskOutcome(status, null, "", "", msg, data);
    }

    /** {@code ansible_loop}; with {@code loop_control.extended}, Ansible's extended fields too. */
    private static Map<String, Object> loopInfo(List<?> items, int index, boolean extended) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = items.size();
        m.put("index", index + 1);
        m.put("index0", index);
        m.put("first", index == 0);
        m.put("last", index == n - 1);
        m.put("length", n);
        if (extended) {
            m.put("revindex", n - index);
            m.put("revindex0", n - index - 1);
            m.put("allitems", items);
            if (index > 0) m.put("previtem", items.get(index - 1));
            if (index < n - 1) m.put("nextitem", items.get(index + 1));
        }
        return m;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
