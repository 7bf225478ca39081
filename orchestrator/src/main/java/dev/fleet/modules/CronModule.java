package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * {@code cron}: Ansible's named cron jobs and environment variables, in a user's crontab ({@code crontab -l} and
 * {@code crontab -} on standard input, {@code -u user} for another user) or in a cron file ({@code cron_file},
 * relative names under {@code /etc/cron.d}, written with umask 022; removed when its last job goes). The text
 * edits are {@link CronTab}'s. Returns {@code jobs}, {@code envs}, {@code cron_file}, {@code backup_file}
 * ({@code backup}), and under {@code --diff} Ansible's {@code diff} (before/after with headers).
 */
final class CronModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required(), Arg.str("user"), Arg.str("job").aliases("value"), Arg.path("cron_file"),
                    Arg.str("state").choices("present", "absent").defaultsTo("present"),
                    Arg.bool("backup").defaultsTo(false), Arg.str("minute").defaultsTo("*"),
                    Arg.str("hour").defaultsTo("*"), Arg.str("day").defaultsTo("*").aliases("dom"),
                    Arg.str("month").defaultsTo("*"), Arg.str("weekday").defaultsTo("*").aliases("dow"),
                    Arg.str("special_time").choices("reboot", "yearly", "annually", "monthly", "weekly", "daily",
                            "hourly"),
                    Arg.bool("disabled").defaultsTo(false), Arg.bool("env").defaultsTo(false),
                    Arg.str("insertafter"), Arg.str("insertbefore"))
            .mutuallyExclusive("insertafter", "insertbefore")
            .build();

    private static final String NEED_CRONTAB = "command -v crontab >/dev/null 2>&1 || { echo 'Failed to find"
            + " required executable \"crontab\" in paths' >&2; exit 127; }\n";

    public String name() {
        return "cron";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** The module stops with Ansible's message. */
    private static final class Failure extends Exception {
        Failure(String msg) {
            super(msg);
        }
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        try {
            return apply(ctx);
        } catch (Failure e) {
            return TaskOutcome.failed(e.getMessage());
        } catch (PatternSyntaxException e) {
            return TaskOutcome.failed("cron: the name is used as a regular expression and is not valid: "
                    + e.getDescription());
        }
    }

    private TaskOutcome apply(ModuleContext ctx) throws TransportException, Failure {
        String name = ctx.str("name");
        String user = ctx.str("user");
        String job = ctx.str("job");
        String cronFileArg = ctx.str("cron_file");
        boolean install = ctx.str("state").equals("present");
        List<String> warnings = new ArrayList<>();
        String cronFile = null;
        if (cronFileArg != null) {
            if (cronFileArg.equals("/etc/crontab")) {
                throw new Failure("Will not manage /etc/crontab via cron_file, see documentation.");
            }
            cronFile = cronFileArg.startsWith("/") ? cronFileArg : "/etc/cron.d/" + cronFileArg;
            String base = cronFileArg.substring(cronFileArg.lastIndexOf('/') + 1);
            if (!base.matches("(?i)[A-Z0-9_-]+")) {
                warnings.add("Filename portion of cron_file (\"" + base + "\") should consist solely of upper- and"
                        + " lower-case letters, digits, underscores, and hyphens");
            }
        }
        String existing = read(ctx, cronFile, user);
        CronTab tab = cronFile != null ? CronTab.ofFile(existing) : CronTab.ofUserCrontab(existing);
        if (cronFile == null) existing = CronTab.withoutHeader(existing);
        String header = cronFile != null ? cronFile : user != null ? "crontab for user \"" + user + "\"" : "crontab";

        String special = ctx.str("special_time");
        boolean timeGiven = List.of("minute", "hour", "day", "month", "weekday").stream()
                .anyMatch(k -> !ctx.str(k).equals("*"));
        if (special != null && timeGiven) throw new Failure("You must specify time and date fields or special time.");
        String after = ctx.str("insertafter");
        String before = ctx.str("insertbefore");
        boolean env = ctx.bool("env");
        if (install) {
            if (cronFile != null && user == null) {
                throw new Failure("To use cron_file=... parameter you must specify user=... as well");
            }
            if (job == null) throw new Failure("You must specify 'job' to install a new cron job or variable");
            if ((after != null || before != null) && !env) {
                throw new Failure("Insertafter and insertbefore parameters are valid only with env=yes");
            }
        }
        String backupFile = null;
        if (ctx.bool("backup") && !ctx.check()) backupFile = backup(ctx, tab.render());

        boolean changed = false;
        if (env) {
            if (name.contains(" ")) throw new Failure("Invalid name for environment variable");
            String decl = name + "=\"" + job + "\"";
            Integer old = tab.findEnv(name);
            if (install) {
                if (old == null) {
                    if (!tab.addEnv(decl, after, before)) {
                        throw new Failure("Variable named '" + (after != null ? after : before) + "' not found.");
                    }
                    changed = true;
                } else if (!tab.line(old).equals(decl)) {
                    tab.updateEnv(name, decl);
                    changed = true;
                }
            } else if (old != null) {
                tab.updateEnv(name, null);
                changed = true;
            }
        } else if (install) {
            if (job.replaceAll("^[\r\n]+|[\r\n]+$", "").matches("(?s).*[\r\n].*")) {
                warnings.add("Job should not contain line breaks");
            }
            String line = CronTab.jobLine(ctx.str("minute"), ctx.str("hour"), ctx.str("day"), ctx.str("month"),
                    ctx.str("weekday"), job, special, ctx.bool("disabled"), cronFile != null ? user : null);
            CronTab.Found old = tab.findJob(name, line);
            if (old == null) {
                tab.addJob(name, line);
                changed = true;
            } else if (!old.job().equals(line) || old.markerAdded()) {
                tab.updateJob(name, line);
                changed = true;
            }
        } else if (tab.findJob(name, null) != null) {
            tab.removeJob(name);
            changed = true;
            if (cronFile != null && tab.isEmpty()) return removeFile(ctx, cronFile, cronFileArg, existing);
        }
        if (!changed && !existing.isEmpty() && !existing.endsWith("\n") && !existing.endsWith("\r")) changed = true;

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("jobs", tab.jobNames());
        data.put("envs", tab.envNames());
        if (!warnings.isEmpty()) data.put("warnings", List.copyOf(warnings));
        if (changed) {
            if (!ctx.check()) write(ctx, cronFile, user, tab.render());
            if (ctx.diff()) {
                data.put("diff", Map.of("before", existing, "before_header", header, "after", tab.render(),
                        "after_header", header));
            }
        }
        if (backupFile != null) {
            if (changed) data.put("backup_file", backupFile);
            else RemoteFiles.sh(ctx, "rm -f -- " + ShellQuote.quote(backupFile));
        }
        if (cronFileArg != null) data.put("cron_file", cronFileArg);
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /** The last job of a cron file went: the file goes too. */
    private static TaskOutcome removeFile(ModuleContext ctx, String cronFile, String cronFileArg, String existing)
            throws TransportException {
        String q = ShellQuote.quote(cronFile);
        boolean changed = ctx.check() ? ctx.session().exec("test -f " + q, ctx.timeout()).exitCode() == 0
                : ctx.session().exec("rm -- " + q, ctx.timeout()).exitCode() == 0;
        Map<String, Object> diff = ctx.diff() ? Map.of("before", existing, "before_header", cronFile, "after", "",
                "after_header", "/dev/null") : Map.of();
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(Map.of("cron_file", cronFileArg,
                "state", "absent", "diff", diff));
    }

    /** {@code crontab} for another user than the one the commands run as. */
    private static String crontab(String user, String action) {
        if (user == null) return "crontab " + action;
        String q = ShellQuote.quote(user);
        return "if [ \"$(id -un)\" = " + q + " ]; then crontab " + action + "; else crontab -u " + q + " " + action
                + "; fi";
    }

    private static String read(ModuleContext ctx, String cronFile, String user) throws TransportException, Failure {
        if (cronFile != null) {
            CommandResult r = RemoteFiles.sh(ctx, NEED_CRONTAB + "f=" + ShellQuote.quote(cronFile)
                    + "; if [ -f \"$f\" ]; then cat -- \"$f\"; else exit 3; fi");
            if (r.exitCode() == 127) throw new Failure(r.stderr().strip());
            return r.exitCode() == 0 ? r.stdout() : "";
        }
        CommandResult r = RemoteFiles.sh(ctx, NEED_CRONTAB + crontab(user, "-l"));
        if (r.exitCode() == 127) throw new Failure(r.stderr().strip());
        if (r.exitCode() != 0 && r.exitCode() != 1) throw new Failure("Unable to read crontab");
        return r.stdout();
    }

    private static void write(ModuleContext ctx, String cronFile, String user, String text)
            throws TransportException, Failure {
        String cmd = cronFile != null ? "umask 022; cat > " + ShellQuote.quote(cronFile) : crontab(user, "-");
        CommandResult r = RemoteFiles.sh(ctx, cmd, text.getBytes(StandardCharsets.UTF_8));
        if (r.exitCode() != 0) {
            throw new Failure(cronFile == null ? r.stderr()
                    : "cron: cannot write " + cronFile + ": " + RemoteFiles.reason(r.stderr()));
        }
    }

    /** Ansible's backup: the crontab as read, in a new {@code crontab*} file in the host's temporary directory. */
    private static String backup(ModuleContext ctx, String text) throws TransportException, Failure {
        String cmd = "umask 077; t=$(mktemp \"${TMPDIR:-/tmp}/crontabXXXXXXXX\") || exit 1\n"
                + "cat > \"$t\" && echo \"$t\"";
        CommandResult r = RemoteFiles.sh(ctx, cmd, text.getBytes(StandardCharsets.UTF_8));
        if (r.exitCode() != 0) throw new Failure("cron: cannot make a backup: " + RemoteFiles.reason(r.stderr()));
        return r.stdout().strip();
    }
}
