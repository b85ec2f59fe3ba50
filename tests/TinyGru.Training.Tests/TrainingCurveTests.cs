using System.Linq;
using System.Xml.Linq;
using TinyGru.Training.Loop;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>The training-curve picture: well-formed SVG with one point per epoch for each of the four series.</summary>
public sealed class TrainingCurveTests
{
    [Fact]
    public void The_picture_has_a_train_and_a_validation_line_per_panel_with_one_point_per_epoch()
    {
        var history = new[]
        {
            new EpochMetrics(1, 0.69, 0.52, 0.68, 0.56, 10, 1000),
            new EpochMetrics(2, 0.55, 0.73, 0.58, 0.71, 10, 1000),
            new EpochMetrics(3, 0.41, 0.82, 0.50, 0.78, 10, 1000),
        };
        XDocument svg = XDocument.Parse(TrainingCurve.Svg(history, "a <model> & curves"));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToArray();
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length));
        Assert.Equal(12, svg.Descendants(ns + "circle").Count());
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "a <model> & curves");
    }
}
