package dev.fleet.serve;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Cron expressions for schedules: standard 5-field UNIX cron ({@code min hour dom month dow}); 6 fields means a
 * leading seconds field ({@code sec min hour dom month dow}, cron-utils' SPRING definition), handy for tests and
 * sub-minute sweeps.
 */
final class CronSupport {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private CronSupport() {}

    static Cron parse(String expression) {
        String e = expression.strip();
        int fields = e.split("\\s+").length;
        Cron cron = switch (fields) {
            case 5 -> UNIX.parse(e);
            case 6 -> SECONDS.parse(e);
            default -> throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month "
                    + "day-of-week), or 6 with a leading seconds field; found " + fields);
        };
        cron.validate();
        return cron;
    }

    /** The first execution strictly after {@code after}. */
    static Optional<ZonedDateTime> next(Cron cron, ZonedDateTime after) {
        return ExecutionTime.forCron(cron).nextExecution(after);
    }

    /** The last execution at or before {@code now} (strictly before, as cron-utils defines it). */
    static Optional<ZonedDateTime> last(Cron cron, ZonedDateTime now) {
        return ExecutionTime.forCron(cron).lastExecution(now);
    }
}
