using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TinyGru.Model.Format;

namespace TinyGru.Training.Loop;

/// <summary>Draws the training curves (loss and accuracy per epoch, train and validation) as an SVG picture.</summary>
public static class TrainingCurve
{
    /// <summary>Writes the picture of <paramref name="history"/> to <paramref name="path"/> (atomically).</summary>
    public static void WriteSvg(string path, IReadOnlyList<EpochMetrics> history, string title)
    {
        AtomicFile.WriteText(path, w => w.Write(Svg(history, title)));
    }

    /// <summary>The SVG text.</summary>
    public static string Svg(IReadOnlyList<EpochMetrics> history, string title)
    {
        const int width = 980, height = 400, panelWidth = 400, panelHeight = 280, top = 50, left1 = 60, left2 = 550;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(Invariant($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{Escape(title)}</text>\n"));
        double maxLoss = history.Count == 0 ? 1 : Math.Max(1e-3, history.Max(m => Math.Max(m.TrainLoss, m.ValidLoss)) * 1.1);
        double minAcc = history.Count == 0 ? 0.5 : Math.Min(0.5, history.Min(m => Math.Min(m.TrainAccuracy, m.ValidAccuracy)));
        Panel(svg, history, left1, top, panelWidth, panelHeight, "loss", 0, maxLoss, m => m.TrainLoss, m => m.ValidLoss);
        Panel(svg, history, left2, top, panelWidth, panelHeight, "accuracy", Math.Floor(minAcc * 10) / 10, 1, m => m.TrainAccuracy, m => m.ValidAccuracy);
        svg.Append(Invariant($"<line x1=\"{left1}\" y1=\"{height - 14}\" x2=\"{left1 + 30}\" y2=\"{height - 14}\" stroke=\"#1f77b4\" stroke-width=\"2\"/>"));
        svg.Append(Invariant($"<text x=\"{left1 + 36}\" y=\"{height - 10}\">train</text>"));
        svg.Append(Invariant($"<line x1=\"{left1 + 100}\" y1=\"{height - 14}\" x2=\"{left1 + 130}\" y2=\"{height - 14}\" stroke=\"#d62728\" stroke-width=\"2\"/>"));
        svg.Append(Invariant($"<text x=\"{left1 + 136}\" y=\"{height - 10}\">validation</text>\n"));
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, IReadOnlyList<EpochMetrics> history, int left, int top, int w, int h, string name,
        double min, double max, Func<EpochMetrics, double> train, Func<EpochMetrics, double> valid)
    {
        svg.Append(Invariant($"<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#444\"/>\n"));
        svg.Append(Invariant($"<text x=\"{left + w / 2}\" y=\"{top - 6}\" text-anchor=\"middle\">{name}</text>\n"));
        int epochs = Math.Max(1, history.Count);
        double X(int epoch) => left + (epochs == 1 ? w / 2.0 : (epoch - 1) * (double)w / (epochs - 1));
        double Y(double v) => top + h - (Math.Clamp(v, min, max) - min) / (max - min) * h;
        for (int i = 0; i <= 4; i++)
        {
            double v = min + (max - min) * i / 4;
            svg.Append(Invariant($"<text x=\"{left - 6}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v:0.###}</text>"));
            svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{Y(v):0.#}\" x2=\"{left + w}\" y2=\"{Y(v):0.#}\" stroke=\"#eee\"/>\n"));
        }

        for (int e = 1; e <= history.Count; e++)
        {
            svg.Append(Invariant($"<text x=\"{X(e):0.#}\" y=\"{top + h + 16}\" text-anchor=\"middle\">{e}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{left + w / 2}\" y=\"{top + h + 32}\" text-anchor=\"middle\">epoch</text>\n"));
        Series(svg, history, X, Y, train, "#1f77b4");
        Series(svg, history, X, Y, valid, "#d62728");
    }

    private static void Series(StringBuilder svg, IReadOnlyList<EpochMetrics> history, Func<int, double> x, Func<double, double> y, Func<EpochMetrics, double> value, string colour)
    {
        if (history.Count == 0)
        {
            return;
        }

        string points = string.Join(" ", history.Select(m => Invariant($"{x(m.Epoch):0.#},{y(value(m)):0.#}")));
        svg.Append(Invariant($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n"));
        foreach (EpochMetrics m in history)
        {
            svg.Append(Invariant($"<circle cx=\"{x(m.Epoch):0.#}\" cy=\"{y(value(m)):0.#}\" r=\"3\" fill=\"{colour}\"/>"));
        }

        svg.Append('\n');
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
