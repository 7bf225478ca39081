package dev.fleet.report;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the run as ONE self-contained HTML file (inline CSS and JS, no external URL): a header with the totals,
 * the symptom groups, a host × task matrix whose cells open that result, and a per-host timeline of task
 * durations.
 *
 * <p>Built to stay usable at 1000 hosts × 20 tasks: the matrix is static markup of one empty {@code <td>} per
 * cell (its class is the status), and the results themselves travel once, as a JSON blob in a
 * {@code <script type="application/json">}, from which a small script shows a cell's details and draws the
 * timeline. Every text is HTML-escaped; in the JSON blob {@code <}, {@code >} and {@code &} are written as
 * {@code \}{@code u003c}-style escapes so no output can close the script element. Written to a temporary file and
 * moved into place when the sink is closed.
 */
public final class HtmlReportSink implements RunSink {
    /** Per stream and result; the JSON report keeps everything. */
    static final int MAX_OUTPUT = 8 * 1024;

    private final Path file;
    private String playbook = "";
    private Instant start;
    private final List<String> hosts = new ArrayList<>();
    private final Map<String, Integer> hostIndex = new HashMap<>();
    private final List<String[]> tasks = new ArrayList<>(); // play, task, source, module
    private final Map<String, Integer> taskIndex = new HashMap<>();
    private final List<TaskResult> results = new ArrayList<>();
    private final List<String> plays = new ArrayList<>();
    private final List<String> aborts = new ArrayList<>();
    private final SymptomGroups symptoms = new SymptomGroups();
    private RunEvent.RunFinished finished;

    public HtmlReportSink(Path file) {
        this.file = file;
    }

    @Override
    public void accept(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> {
                playbook = e.playbook() == null ? "" : e.playbook();
                start = e.at();
                e.hosts().forEach(this::host);
            }
            case RunEvent.PlayStarted e -> {
                plays.add(e.play());
                e.hosts().forEach(this::host);
            }
            case RunEvent.TaskStarted e -> task(e.play(), e.task(), e.source(), "");
            case RunEvent.HostTaskFinished e -> {
                TaskResult r = e.result();
                host(r.host());
                int t = task(r.play(), r.task(), r.source(), r.module());
                if (tasks.get(t)[3].isEmpty()) tasks.get(t)[3] = r.module();
                results.add(r);
                symptoms.add(r);
            }
            case RunEvent.PlayFinished e -> {
                if (e.abortReason() != null) aborts.add("play " + e.play() + " aborted: " + e.abortReason());
            }
            case RunEvent.RunFinished e -> finished = e;
        }
    }

    private int host(String h) {
        return hostIndex.computeIfAbsent(h, k -> {
            hosts.add(k);
            return hosts.size() - 1;
        });
    }

    private int task(String play, String task, String source, String module) {
        return taskIndex.computeIfAbsent(play + "\u0000" + task + "\u0000" + source, k -> {
            tasks.add(new String[] {play, task, source, module == null ? "" : module});
            return tasks.size() - 1;
        });
    }

    @Override
    public void close() throws Exception {
        if (finished == null) return;
        AtomicFile.write(file, ".html", this::write);
    }

    // ---- the page -----------------------------------------------------------------------------------------------

    private static String code(TaskResult r) {
        if (r.ignored() && r.status() == TaskStatus.FAILED) return "i";
        return switch (r.status()) {
            case OK -> "o";
            case CHANGED -> "c";
            case FAILED -> "f";
            case UNREACHABLE -> "u";
            case SKIPPED -> "s";
        };
    }

    void write(Writer w) throws IOException {
        Instant runStart = start != null ? start : results.stream().map(TaskResult::start).min(Instant::compareTo)
                .orElse(finished.at());
        long runMs = Math.max(1, Duration.between(runStart, finished.at()).toMillis());

        // Last result per host × task is the cell; all are in the blob.
        String[][] cells = new String[hosts.size()][tasks.size()];
        JsonArray perHost = new JsonArray();
        List<JsonArray> rows = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            JsonArray a = new JsonArray();
            rows.add(a);
            perHost.add(a);
        }
        for (TaskResult r : results) {
            int h = hostIndex.get(r.host());
            int t = taskIndex.get(r.play() + "\u0000" + r.task() + "\u0000" + r.source());
            cells[h][t] = code(r);
            var o = r.outcome();
            rows.get(h).add(new JsonArray().add(t).add(code(r))
                    .add(Math.max(0, Duration.between(runStart, r.start()).toMillis()))
                    .add(Math.max(0, r.duration().toMillis())).add(o.rc()).add(clean(o.msg()))
                    .add(clip(clean(o.stdout()))).add(clip(clean(o.stderr()))));
        }
        JsonArray taskJson = new JsonArray();
        for (String[] t : tasks) taskJson.add(new JsonArray().add(t[0]).add(t[1]).add(t[2]).add(t[3]));
        JsonObject data = new JsonObject().put("playbook", playbook).put("runMs", runMs)
                .put("hosts", new JsonArray(new ArrayList<>(hosts))).put("tasks", taskJson).put("results", perHost);

        Map<String, HostStats> stats = finished.stats();
        HostStats total = HostStats.EMPTY;
        int[] verdict = new int[4]; // ok, changed, failed, unreachable
        for (HostStats s : stats.values()) {
            total = total.plus(s);
            switch (JsonReportSink.hostStatus(s)) {
                case "unreachable" -> verdict[3]++;
                case "failed" -> verdict[2]++;
                case "changed" -> verdict[1]++;
                default -> verdict[0]++;
            }
        }
        List<SymptomGroups.Group> groups = symptoms.groups(stats);

        w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>fleet: "
                + esc(playbook) + "</title>\n<style>" + CSS + "</style></head>\n<body>\n");
        // header
        w.write("<header><h1>fleet run: <span id=\"playbook\">" + esc(playbook) + "</span></h1>\n<p>");
        w.write("start " + esc(runStart.toString()) + " &middot; end " + esc(finished.at().toString()) + " &middot; "
                + String.format(Locale.ROOT, "%.1fs", runMs / 1000.0) + " &middot; plays: "
                + esc(String.join(", ", plays)) + "</p>\n");
        if (finished.interrupted()) w.write("<p class=\"warn\">INTERRUPTED: the run was stopped before it finished</p>\n");
        for (String a : aborts) w.write("<p class=\"warn\">" + esc(a) + "</p>\n");
        w.write("<p id=\"totals\"><b>" + stats.size() + " hosts</b>: <span class=\"k o\">" + verdict[0]
                + " ok</span> <span class=\"k c\">" + verdict[1] + " changed</span> <span class=\"k f\">" + verdict[2]
                + " failed</span> <span class=\"k u\">" + verdict[3] + " unreachable</span></p>\n");
        w.write("<p class=\"stats\">task results: ok=" + total.ok() + " changed=" + total.changed() + " unreachable="
                + total.unreachable() + " failed=" + total.failed() + " skipped=" + total.skipped() + " rescued="
                + total.rescued() + " ignored=" + total.ignored() + "</p></header>\n");

        // symptoms
        w.write("<section id=\"symptoms\"><h2>Symptoms (" + groups.size() + ")</h2>\n");
        if (groups.isEmpty()) {
            w.write("<p>No host failed.</p>\n");
        } else {
            w.write("<table class=\"sym\"><thead><tr><th>hosts</th><th>status</th><th>task</th><th>message</th>"
                    + "</tr></thead><tbody>\n");
            for (SymptomGroups.Group g : groups) {
                String cls = g.status() == TaskStatus.UNREACHABLE ? "u" : "f";
                w.write("<tr><td class=\"n\">" + g.count() + "</td><td><span class=\"k " + cls + "\">"
                        + g.status().label() + "</span></td><td>" + esc(g.task()) + "<br><small>" + esc(g.source())
                        + "</small></td><td><code>" + esc(g.message()) + "</code><details><summary>example and hosts"
                        + "</summary><pre>" + esc(g.example()) + "</pre><p class=\"hl\">" + esc(String.join(" ", g.hosts()))
                        + "</p></details></td></tr>\n");
            }
            w.write("</tbody></table>\n");
        }
        w.write("</section>\n");

        // matrix
        w.write("<section id=\"matrix-section\"><h2>Hosts &times; tasks</h2>\n<p class=\"legend\">"
                + "<span class=\"k o\">ok</span> <span class=\"k c\">changed</span> <span class=\"k f\">failed</span> "
                + "<span class=\"k i\">failed, ignored</span> <span class=\"k u\">unreachable</span> "
                + "<span class=\"k s\">skipped</span> <span class=\"k\">not run</span> &middot; "
                + "<label>host <input id=\"filter\" type=\"search\" placeholder=\"filter\"></label> "
                + "<label><input id=\"problems\" type=\"checkbox\"> only failed/unreachable hosts</label> "
                + "&middot; click a cell for its result</p>\n");
        w.write("<div class=\"scroll\"><table id=\"matrix\"><thead><tr><th>host</th>");
        for (int t = 0; t < tasks.size(); t++) {
            String[] task = tasks.get(t);
            w.write("<th title=\"" + esc(task[0] + " / " + task[2]) + "\"><span>" + esc(task[1]) + "</span></th>");
        }
        w.write("</tr></thead>\n<tbody>\n");
        for (int h = 0; h < hosts.size(); h++) {
            boolean bad = false;
            StringBuilder row = new StringBuilder();
            for (int t = 0; t < tasks.size(); t++) {
                String c = cells[h][t];
                if ("f".equals(c) || "u".equals(c)) bad = true;
                row.append(c == null ? "<td></td>" : "<td class=" + c + "></td>");
            }
            w.write("<tr" + (bad ? " class=bad" : "") + "><th>" + esc(hosts.get(h)) + "</th>" + row + "</tr>\n");
        }
        w.write("</tbody></table></div>\n<div id=\"detail\" hidden></div></section>\n");

        // timeline, drawn from the data
        w.write("<section id=\"timeline-section\"><h2>Timeline</h2><p class=\"legend\">each bar is one task on one "
                + "host, scaled to the whole run (" + String.format(Locale.ROOT, "%.1fs", runMs / 1000.0)
                + ")</p><div id=\"timeline\"><noscript>The timeline needs JavaScript.</noscript></div></section>\n");

        w.write("<script type=\"application/json\" id=\"fleet-data\">");
        w.write(scriptSafe(data.encode()));
        w.write("</script>\n<script>" + JS + "</script>\n</body></html>\n");
    }

    /** JSON inside a script element: no "</script>", no "<!--" can form. Valid JSON still ('<' only in strings). */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** HTML text and attribute values (double-quoted). */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') continue;
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    private static String clean(String s) {
        return SymptomGroups.stripAnsi(s).replaceAll("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]", "");
    }

    private static String clip(String s) {
        return s.length() <= MAX_OUTPUT ? s : s.substring(0, MAX_OUTPUT) + "\n... (" + s.length()
                + " chars in all, see --json)";
    }

    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.5em}
            code,pre{font:12px/1.35 ui-monospace,monospace}pre{white-space:pre-wrap;word-break:break-all;margin:.3em 0}
            .warn{color:#fff;background:#b00;padding:.3em .6em;display:inline-block}
            .k{display:inline-block;padding:0 .45em;border-radius:3px;background:#eee}
            .o{background:#5cb85c}.c{background:#f0ad4e}.f{background:#d9534f}.i{background:#e8a0a0}
            .u{background:#8e44ad}.s{background:#bbb}.k.f,.k.u{color:#fff}
            table{border-collapse:collapse}.sym td,.sym th{border-bottom:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
            .sym td.n{font-weight:bold;text-align:right}.hl{font:12px monospace;max-height:10em;overflow:auto}
            .scroll{overflow:auto;max-height:80vh;border:1px solid #ddd}
            #matrix th{font-weight:normal;text-align:left;white-space:nowrap;padding:0 .4em;font-size:12px;background:#fafafa}
            #matrix tbody th,#matrix thead th:first-child{position:sticky;left:0}
            #matrix thead th{position:sticky;top:0;vertical-align:bottom;height:9em;z-index:1}
            #matrix thead th:first-child{z-index:2}
            #matrix thead th span{writing-mode:vertical-rl;transform:rotate(180deg);max-height:9em;overflow:hidden;display:inline-block}
            #matrix td{width:14px;min-width:14px;height:14px;border:1px solid #fff;cursor:pointer;padding:0}
            #matrix td.sel{outline:2px solid #000}
            #detail{position:sticky;bottom:0;background:#fff;border:2px solid #444;padding:.5em 1em;margin-top:.5em;max-height:45vh;overflow:auto}
            #timeline .row{display:flex;align-items:center;height:12px;margin:1px 0}
            #timeline .lbl{width:12em;font-size:10px;overflow:hidden;white-space:nowrap;flex:none}
            #timeline .track{position:relative;flex:1;height:10px;background:#f4f4f4}
            #timeline .bar{position:absolute;top:0;height:10px;min-width:1px}
            """;

    private static final String JS = """
            (function(){
            var D=JSON.parse(document.getElementById('fleet-data').textContent);
            var NAMES={o:'ok',c:'changed',f:'failed',i:'failed (ignored)',u:'unreachable',s:'skipped'};
            function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
            function find(h,t){var rs=D.results[h]||[],r=null;for(var i=0;i<rs.length;i++)if(rs[i][0]===t)r=rs[i];return r;}
            var detail=document.getElementById('detail'),sel=null;
            function show(h,t,cell){
              var r=find(h,t),task=D.tasks[t];detail.hidden=false;detail.textContent='';
              if(sel)sel.classList.remove('sel');sel=cell;if(cell)cell.classList.add('sel');
              detail.appendChild(el('h3',null,D.hosts[h]+' \\u00b7 '+task[1]));
              detail.appendChild(el('p',null,task[0]+' \\u00b7 '+task[2]+(task[3]?' \\u00b7 module '+task[3]:'')));
              if(!r){detail.appendChild(el('p',null,'not run on this host'));return;}
              var p=el('p');p.appendChild(el('span','k '+r[1],NAMES[r[1]]));
              p.appendChild(document.createTextNode(' rc='+(r[4]==null?'-':r[4])+' \\u00b7 '+(r[3]/1000).toFixed(3)+'s'));
              detail.appendChild(p);
              [['msg',r[5]],['stdout',r[6]],['stderr',r[7]]].forEach(function(x){
                if(!x[1])return;detail.appendChild(el('b',null,x[0]));detail.appendChild(el('pre','out-'+x[0],x[1]));});
            }
            var matrix=document.getElementById('matrix');
            matrix.addEventListener('click',function(ev){
              var td=ev.target.closest('td');if(!td)return;var tr=td.parentNode;
              var h=tr.sectionRowIndex,t=td.cellIndex-1;show(h,t,td);
              history.replaceState(null,'','#r='+h+'.'+t);
            });
            var m=/^#r=(\\d+)\\.(\\d+)$/.exec(location.hash);
            if(m){var h=+m[1],t=+m[2];var row=matrix.tBodies[0].rows[h];show(h,t,row?row.cells[t+1]:null);}
            var filter=document.getElementById('filter'),problems=document.getElementById('problems');
            function applyFilter(){
              var q=filter.value.toLowerCase(),rows=matrix.tBodies[0].rows,tl=document.querySelectorAll('#timeline .row');
              for(var i=0;i<rows.length;i++){
                var hide=(q&&D.hosts[i].toLowerCase().indexOf(q)<0)||(problems.checked&&!rows[i].classList.contains('bad'));
                rows[i].style.display=hide?'none':'';if(tl[i])tl[i].style.display=hide?'none':'';
              }
            }
            filter.addEventListener('input',applyFilter);problems.addEventListener('change',applyFilter);
            var tl=document.getElementById('timeline'),frag=document.createDocumentFragment();
            for(var h=0;h<D.hosts.length;h++){
              var row=el('div','row'),track=el('div','track');row.appendChild(el('div','lbl',D.hosts[h]));
              (D.results[h]||[]).forEach(function(r){
                var b=el('span','bar '+r[1]);b.style.left=(100*r[2]/D.runMs)+'%';
                b.style.width=Math.max(0.05,100*r[3]/D.runMs)+'%';
                b.title=D.tasks[r[0]][1]+': '+NAMES[r[1]]+', '+(r[3]/1000).toFixed(3)+'s';track.appendChild(b);});
              row.appendChild(track);frag.appendChild(row);
            }
            tl.textContent='';tl.appendChild(frag);
            document.body.setAttribute('data-rendered','1');
            })();
            """;
}
