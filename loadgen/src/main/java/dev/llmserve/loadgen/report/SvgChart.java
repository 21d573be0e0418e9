package dev.llmserve.loadgen.report;

import java.util.List;
import java.util.Locale;

/** A small line chart as inline SVG: no script, no network, opens in any browser. */
final class SvgChart {

	private static final int WIDTH = 920;

	private static final int HEIGHT = 240;

	private static final int LEFT = 70;

	private static final int RIGHT = 150;

	private static final int TOP = 30;

	private static final int BOTTOM = 35;

	/**
	 * One line of a chart; NaN values are gaps.
	 *
	 * @param name legend text
	 * @param color CSS color
	 * @param values one value per x
	 */
	record Series(String name, String color, double[] values) {
	}

	private SvgChart() {
	}

	static String render(String title, double[] xs, List<Series> series) {
		double maxX = xs.length == 0 ? 1 : Math.max(1, xs[xs.length - 1]);
		double maxY = niceCeiling(series.stream()
			.flatMapToDouble((s) -> java.util.Arrays.stream(s.values()))
			.filter((v) -> !Double.isNaN(v))
			.max()
			.orElse(1));
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" class=\"chart\">%n", WIDTH,
				HEIGHT));
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"title\">%s</text>%n", LEFT,
				HtmlReportWriter.escape(title)));
		axes(svg, maxX, maxY);
		for (int i = 0; i < series.size(); i++) {
			line(svg, xs, series.get(i), maxX, maxY);
			legend(svg, series.get(i), i);
		}
		return svg.append("</svg>\n").toString();
	}

	private static void axes(StringBuilder svg, double maxX, double maxY) {
		int plotW = WIDTH - LEFT - RIGHT;
		int plotH = HEIGHT - TOP - BOTTOM;
		for (int i = 0; i <= 4; i++) {
			double y = TOP + plotH - plotH * i / 4.0;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>"
							+ "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>%n",
					LEFT, y, LEFT + plotW, y, LEFT - 6, y + 4, label(maxY * i / 4.0)));
		}
		for (int i = 0; i <= 5; i++) {
			double x = LEFT + plotW * i / 5.0;
			svg.append(String.format(Locale.ROOT,
					"<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%ss</text>%n", x,
					HEIGHT - BOTTOM + 16, label(maxX * i / 5.0)));
		}
	}

	private static void line(StringBuilder svg, double[] xs, Series series, double maxX, double maxY) {
		int plotW = WIDTH - LEFT - RIGHT;
		int plotH = HEIGHT - TOP - BOTTOM;
		StringBuilder points = new StringBuilder();
		for (int i = 0; i <= xs.length; i++) {
			double v = (i < xs.length) ? series.values()[i] : Double.NaN;
			if (Double.isNaN(v)) {
				flush(svg, points, series.color());
				continue;
			}
			double x = LEFT + plotW * xs[i] / maxX;
			double y = TOP + plotH - plotH * Math.min(v, maxY) / maxY;
			points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
		}
	}

	private static void flush(StringBuilder svg, StringBuilder points, String color) {
		if (!points.isEmpty()) {
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"/>%n", color,
					points.toString().trim()));
			points.setLength(0);
		}
	}

	private static void legend(StringBuilder svg, Series series, int index) {
		int x = WIDTH - RIGHT + 15;
		int y = TOP + 10 + index * 18;
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
						+ "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>%n",
				x, y - 3, series.color(), x + 18, y + 2, HtmlReportWriter.escape(series.name())));
	}

	static double niceCeiling(double value) {
		if (!(value > 0)) {
			return 1;
		}
		double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (value <= step * magnitude) {
				return step * magnitude;
			}
		}
		return 10 * magnitude;
	}

	private static String label(double value) {
		if (value >= 10_000) {
			return String.format(Locale.ROOT, "%.0fk", value / 1000);
		}
		return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%.0f", value)
				: String.format(Locale.ROOT, "%.1f", value);
	}

}
