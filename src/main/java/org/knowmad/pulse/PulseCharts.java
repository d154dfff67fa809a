package org.knowmad.pulse;

import java.util.List;

/**
 * Server-drawn SVG charts of the pulse: pure functions from numbers and translated words to markup, no I/O, no
 * script, no style attributes (the page's CSP forbids inline styles; SVG presentation attributes are markup).
 * Each chart is an {@code <svg role="img">} with a {@code <title>}; the page puts a table with the same numbers
 * beside it for screen readers and for copying. Every word that reaches the markup is escaped here.
 */
public final class PulseCharts {

    /** Translated words: the page's language. */
    @FunctionalInterface
    public interface Text {
        String t(String key, Object... args);
    }

    /** A labelled period's shape (a week, the whole course, or 90-9-1 itself). */
    public record ShapeRow(String label, ParticipationShape shape) {
    }

    /** A bar of the peaks chart: a short day label and the day's peak. */
    public record Bar(String label, long value) {
    }

    static final String LURKER = "#c8d3df";
    static final String OCCASIONAL = "#5b8cc0";
    static final String FREQUENT = "#1d3f6e";
    static final String BAR = "#3c6e9f";
    private static final int WIDTH = 640;

    private PulseCharts() {
    }

    /** The funnel as horizontal bars, each stage's length its share of enrolled. */
    public static String funnel(Funnel f, String title, Text text) {
        long[] c = f.counts();
        int[] pct = f.percents();
        int label = 130;
        int max = 380;
        int row = 30;
        StringBuilder svg = open(WIDTH, row * c.length + 10, title);
        for (int i = 0; i < c.length; i++) {
            int y = 5 + i * row;
            int w = f.enrolled() == 0 ? 0 : (int) Math.round((double) max * c[i] / f.enrolled());
            svg.append("<text x=\"").append(label - 8).append("\" y=\"").append(y + 18).append("\" text-anchor=\"end\">")
                    .append(esc(text.t("pulse.stage." + Funnel.STAGES.get(i)))).append("</text>");
            svg.append("<rect x=\"").append(label).append("\" y=\"").append(y + 4).append("\" width=\"").append(Math.max(w, 1))
                    .append("\" height=\"20\" fill=\"").append(BAR).append("\"/>");
            svg.append("<text x=\"").append(label + Math.max(w, 1) + 6).append("\" y=\"").append(y + 18).append("\">")
                    .append(c[i]).append(" (").append(pct[i]).append("%)</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** One 100% stacked bar per row: lurkers, occasional and frequent contributors, with a legend. */
    public static String shape(List<ShapeRow> rows, String title, Text text) {
        int label = 150;
        int max = 400;
        int row = 28;
        int legend = 26;
        StringBuilder svg = open(WIDTH, legend + row * rows.size() + 6, title);
        String[] colours = {LURKER, OCCASIONAL, FREQUENT};
        String[] keys = {"pulse.shape.lurkers", "pulse.shape.occasional", "pulse.shape.frequent"};
        for (int k = 0; k < 3; k++) {
            int x = 10 + k * 210;
            svg.append("<rect x=\"").append(x).append("\" y=\"4\" width=\"14\" height=\"14\" fill=\"").append(colours[k]).append("\"/>");
            svg.append("<text x=\"").append(x + 20).append("\" y=\"16\">").append(esc(text.t(keys[k]))).append("</text>");
        }
        for (int i = 0; i < rows.size(); i++) {
            ShapeRow r = rows.get(i);
            int y = legend + i * row;
            svg.append("<text x=\"").append(label - 8).append("\" y=\"").append(y + 17).append("\" text-anchor=\"end\">")
                    .append(esc(r.label())).append("</text>");
            int[] pct = r.shape().percents();
            if (r.shape().active() == 0) {
                svg.append("<text x=\"").append(label).append("\" y=\"").append(y + 17).append("\">")
                        .append(esc(text.t("pulse.shape.nobody"))).append("</text>");
                continue;
            }
            int x = label;
            for (int k = 0; k < 3; k++) {
                int w = k == 2 ? label + max - x : (int) Math.round(max * pct[k] / 100.0);
                if (w > 0) {
                    svg.append("<rect x=\"").append(x).append("\" y=\"").append(y + 3).append("\" width=\"").append(w)
                            .append("\" height=\"20\" fill=\"").append(colours[k]).append("\"/>");
                }
                x += w;
            }
            svg.append("<text x=\"").append(label + max + 8).append("\" y=\"").append(y + 17).append("\">")
                    .append(pct[0]).append(" · ").append(pct[1]).append(" · ").append(pct[2]).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Vertical bars, one per day, the highest one labelled with its value. */
    public static String bars(List<Bar> bars, String title, Text text) {
        int height = 170;
        int top = 20;
        int bottom = 24;
        int left = 10;
        int plot = WIDTH - 2 * left;
        StringBuilder svg = open(WIDTH, height, title);
        if (bars.isEmpty()) {
            svg.append("<text x=\"").append(left).append("\" y=\"40\">").append(esc(text.t("pulse.peak.none"))).append("</text>");
            return svg.append("</svg>").toString();
        }
        long max = 1;
        int best = 0;
        for (int i = 0; i < bars.size(); i++) {
            if (bars.get(i).value() > max) max = bars.get(i).value();
            if (bars.get(i).value() > bars.get(best).value()) best = i;
        }
        double slot = (double) plot / bars.size();
        int barWidth = (int) Math.max(1, Math.floor(slot * 0.8));
        int inner = height - top - bottom;
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int h = (int) Math.round((double) inner * b.value() / max);
            int x = left + (int) Math.round(i * slot);
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(top + inner - h).append("\" width=\"").append(barWidth)
                    .append("\" height=\"").append(Math.max(h, 0)).append("\" fill=\"").append(BAR).append("\"><title>")
                    .append(esc(b.label())).append(": ").append(b.value()).append("</title></rect>");
        }
        Bar peak = bars.get(best);
        int px = left + (int) Math.round(best * slot) + barWidth / 2;
        svg.append("<text x=\"").append(px).append("\" y=\"").append(top - 6).append("\" text-anchor=\"middle\">")
                .append(peak.value()).append("</text>");
        svg.append("<text x=\"").append(left).append("\" y=\"").append(height - 6).append("\">").append(esc(bars.get(0).label())).append("</text>");
        if (bars.size() > 1) {
            svg.append("<text x=\"").append(WIDTH - left).append("\" y=\"").append(height - 6).append("\" text-anchor=\"end\">")
                    .append(esc(bars.get(bars.size() - 1).label())).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(int width, int height, String title) {
        return new StringBuilder(2048).append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"100%\" fill=\"currentColor\" font-size=\"13\" font-family=\"sans-serif\"")
                .append(" aria-label=\"").append(esc(title)).append("\"><title>").append(esc(title)).append("</title>");
    }

    /** Escapes text for SVG content and double-quoted attributes. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters are not allowed in XML 1.0 text.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out.append('\uFFFD');
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }

}
