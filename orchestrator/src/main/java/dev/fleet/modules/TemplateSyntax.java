package dev.fleet.modules;

import java.util.regex.Pattern;

/**
 * The {@code template} module's syntax options (custom delimiters, {@code trim_blocks}, {@code lstrip_blocks}),
 * applied by rewriting the template into the standard syntax the templater reads: text between custom delimiters
 * becomes {@code {{ }}}/{@code {% %}}/{@code {# #}}, and standard delimiters that are plain text under the custom
 * ones are emitted as literals. The templater trims blocks (Ansible's default), so {@code trim_blocks: false} keeps
 * the newline after a block tag by doubling it, and {@code lstrip_blocks} removes a block tag's indentation.
 */
final class TemplateSyntax {
    private TemplateSyntax() {}

    /** Delimiters and whitespace options, with Jinja2's defaults. */
    record Options(String varStart, String varEnd, String blockStart, String blockEnd, String commentStart,
            String commentEnd, boolean trimBlocks, boolean lstripBlocks) {

        static final Options DEFAULT = new Options("{{", "}}", "{%", "%}", "{#", "#}", true, false);

        boolean standardDelimiters() {
            return varStart.equals("{{") && varEnd.equals("}}") && blockStart.equals("{%") && blockEnd.equals("%}")
                    && commentStart.equals("{#") && commentEnd.equals("#}");
        }
    }

    private static final Pattern INDENTED_BLOCK = Pattern.compile("(?m)^[ \\t]+(?=\\{%(?!\\+))");
    private static final Pattern BLOCK_END_NEWLINE = Pattern.compile("(?<!-)%}\\n");

    static String toStandard(String text, Options o) {
        String out = o.standardDelimiters() ? text : rewriteDelimiters(text, o);
        if (o.lstripBlocks()) out = INDENTED_BLOCK.matcher(out).replaceAll("");
        if (!o.trimBlocks()) out = BLOCK_END_NEWLINE.matcher(out).replaceAll("%}\n\n");
        return out;
    }

    private static String rewriteDelimiters(String text, Options o) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            String[][] tags = {{o.varStart(), o.varEnd(), "{{", "}}"}, {o.blockStart(), o.blockEnd(), "{%", "%}"},
                {o.commentStart(), o.commentEnd(), "{#", "#}"}};
            boolean matched = false;
            for (String[] t : tags) {
                if (!text.startsWith(t[0], i)) continue;
                int end = text.indexOf(t[1], i + t[0].length());
                if (end < 0) break;
                out.append(t[2]).append(text, i + t[0].length(), end).append(t[3]);
                i = end + t[1].length();
                matched = true;
                break;
            }
            if (matched) continue;
            String rest = text.substring(i, Math.min(text.length(), i + 2));
            if (rest.equals("{{") || rest.equals("{%") || rest.equals("{#")) {
                out.append("{{ '").append(rest).append("' }}"); // standard syntax is plain text here
                i += 2;
                continue;
            }
            out.append(text.charAt(i++));
        }
        return out.toString();
    }
}
