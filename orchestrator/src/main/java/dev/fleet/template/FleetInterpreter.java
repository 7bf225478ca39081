package dev.fleet.template;

import com.google.common.collect.SetMultimap;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * The interpreter of one call. It checks the call's time budget as the engine works: the engine asks for
 * its context at every loop iteration, every tag and every variable, which makes that a fine-grained place
 * to stop a runaway loop.
 */
final class FleetInterpreter extends JinjavaInterpreter {
    final JinjaTemplater.Call call;
    final long deadline;
    private int ticks;
    private boolean expired;

    FleetInterpreter(Jinjava jinjava, Context context, JinjavaConfig config, JinjaTemplater.Call call, long deadline) {
        super(jinjava, context, config);
        this.call = call;
        this.deadline = deadline;
    }

    FleetInterpreter(FleetInterpreter orig) {
        super(orig);
        this.call = orig.call;
        this.deadline = orig.deadline;
    }

    static FleetInterpreter current() {
        return JinjavaInterpreter.getCurrent() instanceof FleetInterpreter f ? f : null;
    }

    @Override
    public Context getContext() {
        if ((++ticks & 0xff) == 0 || expired) checkBudget();
        return super.getContext();
    }

    Context getContextQuietly() {
        return super.getContext();
    }

    void checkBudget() {
        if (call == null) return; // still in the constructor
        if (expired || System.nanoTime() - deadline > 0) {
            expired = true;
            throw new JinjaTemplater.TimeBudgetExceeded("template took longer than its time budget of "
                    + seconds(call.timeout()) + " (fleet's limit for one template)");
        }
        if (Thread.currentThread().isInterrupted()) {
            expired = true;
            throw new JinjaTemplater.TimeBudgetExceeded("template rendering interrupted");
        }
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
    }

    /** Printing, as Jinja2 under Ansible prints: None as nothing, True/False, lists as ['a', 'b']. */
    @Override
    public String getAsString(Object object) {
        if (object == null) return "";
        return Py.str(object);
    }

    static final class Factory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return orig instanceof FleetInterpreter f ? new FleetInterpreter(f) : new JinjavaInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            FleetInterpreter outer = FleetInterpreter.current();
            return outer != null
                    ? new FleetInterpreter(application, context, renderConfig, outer.call, outer.deadline)
                    : new JinjavaInterpreter(application, context, renderConfig);
        }
    }

    /**
     * The scope of one call. jinjava's contexts report what they resolved up to their parents, all the way to
     * the engine's shared global context; this context keeps that to itself so that concurrent calls never
     * write to shared state.
     */
    static final class CallContext extends Context {
        CallContext(Context global) {
            super(global, null, null, true);
        }

        @Override
        public void addResolvedExpression(String expression) {}

        @Override
        public void addResolvedValue(String value) {}

        @Override
        public void addResolvedFunction(String function) {}

        @Override
        public void addDependency(String type, String identification) {}

        @Override
        public void addDependencies(SetMultimap<String, String> dependencies) {}

        @Override
        public com.hubspot.jinjava.lib.filter.Filter getFilter(String name) {
            var f = super.getFilter(name);
            if (f == null) throw new FilterFailure("no filter named '" + name + "'");
            return f;
        }

        @Override
        public com.hubspot.jinjava.lib.exptest.ExpTest getExpTest(String name) {
            var t = super.getExpTest(name);
            if (t == null) throw new FilterFailure("no test named '" + name + "'");
            return t;
        }
    }
}
