package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * One account as the {@code user} module reads it, in one round trip: its passwd entry, its shadow entry (the
 * password hash stays in this record and never reaches a result or a message) and the groups that list it as a
 * member (Ansible's {@code user_group_membership}, primary group included when /etc/group lists it).
 *
 * @param uid      numeric user id
 * @param gid      numeric primary group id
 * @param password the shadow hash (or the passwd field where there is no shadow entry); "" when unknown
 * @param expires  the shadow expiry in days since the epoch, -1 when none
 * @param min      the shadow minimum password age, -1 when none
 * @param max      the shadow maximum password age, -1 when none
 * @param members  names of the groups whose member list holds the user
 */
record UserAccount(String name, int uid, int gid, String comment, String home, String shell, String password,
        long expires, long min, long max, List<String> members) {

    /** Without the password hash, so that a record printed by mistake shows no secret. */
    @Override
    public String toString() {
        return "UserAccount[" + name + ", uid=" + uid + ", gid=" + gid + ", home=" + home + "]";
    }

    /** The account named {@code name}, or null when there is none. */
    static UserAccount lookup(ModuleContext ctx, String name) throws TransportException {
        String q = ShellQuote.quote(name);
        String script = "getent passwd " + q + " | head -n 1 | sed 's/^/P:/'\n"
                + "getent shadow " + q + " 2>/dev/null | head -n 1 | sed 's/^/S:/'\n"
                + "getent group | awk -F: -v u=" + q + " '{n=split($4,m,\",\"); for(i=1;i<=n;i++) if(m[i]==u)"
                + " print \"G:\" $1}'\n";
        CommandResult r = RemoteFiles.sh(ctx, script);
        String[] passwd = null;
        String[] shadow = null;
        List<String> members = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("P:")) passwd = line.substring(2).split(":", -1);
            else if (line.startsWith("S:")) shadow = line.substring(2).split(":", -1);
            else if (line.startsWith("G:")) members.add(line.substring(2));
        }
        if (passwd == null || passwd.length < 7) return null;
        String password = passwd[1];
        if (password.length() <= 1) password = shadow != null && shadow.length > 1 ? shadow[1] : "";
        return new UserAccount(passwd[0], Integer.parseInt(passwd[2]), Integer.parseInt(passwd[3]), passwd[4],
                passwd[5], passwd[6], password, field(shadow, 7), field(shadow, 3), field(shadow, 4),
                List.copyOf(members));
    }

    private static long field(String[] shadow, int i) {
        if (shadow == null || shadow.length <= i || shadow[i].isEmpty()) return -1;
        try {
            return Long.parseLong(shadow[i]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The gid of group {@code group} (a name or a number, as Ansible tries it), or null when there is none. */
    static Integer groupId(ModuleContext ctx, String group) throws TransportException {
        CommandResult r = ctx.session().exec("getent group " + ShellQuote.quote(group), ctx.timeout());
        String[] f = r.stdout().lines().findFirst().orElse("").split(":", -1);
        if (r.exitCode() != 0 || f.length < 3) return null;
        try {
            return Integer.parseInt(f[2]);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
