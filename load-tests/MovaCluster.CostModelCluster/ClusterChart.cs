using System.Globalization;
using SkiaSharp;

namespace MovaCluster.CostModelCluster;

/// <summary>Jobs per hour against GPU count, one line per memory tier: predicted (line) and measured on the cost-model cluster (dots).</summary>
internal static class ClusterChart
{
    private static readonly SKColor[] TierColors = [new(0xE4, 0x57, 0x1F), new(0x2B, 0x8A, 0x3E), new(0x1F, 0x5F, 0xBF), new(0x8E, 0x3B, 0xB5)];

    public static void Draw(IReadOnlyList<ClusterRow> rows, string path)
    {
        const int width = 900, height = 560, left = 80, right = 220, top = 50, bottom = 60;
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xDD, 0xDD, 0xDD), StrokeWidth = 1 };
        using var font = new SKFont(SKTypeface.Default, 14);
        using var textPaint = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        var gpuCounts = rows.Select(r => r.Gpus).Distinct().Order().ToList();
        var maxJobs = rows.Where(r => r.Prediction is not null).Select(r => Math.Max(r.Prediction!.JobsPerHour, r.MeasuredJobsPerHour)).DefaultIfEmpty(1).Max() * 1.1;
        float X(int gpus) => left + ((width - left - right) * (float)(Math.Log2(gpus) / Math.Log2(gpuCounts[^1])));
        float Y(double jobs) => height - bottom - (float)((height - top - bottom) * jobs / maxJobs);

        for (var i = 0; i <= 5; i++)
        {
            var jobs = maxJobs * i / 5;
            canvas.DrawLine(left, Y(jobs), width - right, Y(jobs), grid);
            canvas.DrawText(jobs.ToString("F1", CultureInfo.InvariantCulture), left - 60, Y(jobs) + 5, font, textPaint);
        }

        foreach (var gpus in gpuCounts)
        {
            canvas.DrawText(gpus.ToString(CultureInfo.InvariantCulture), X(gpus) - 5, height - bottom + 20, font, textPaint);
        }

        canvas.DrawLine(left, height - bottom, width - right, height - bottom, axis);
        canvas.DrawLine(left, top, left, height - bottom, axis);
        canvas.DrawText($"MOVA {rows[0].Workload}: jobs/hour vs GPUs on cost-model devices through the real grains (line: predicted, dots: measured)", left, 30, font, textPaint);
        canvas.DrawText("GPUs", (width - right) / 2, height - 15, font, textPaint);

        var tiers = rows.Select(r => r.MemoryGb).Distinct().Order().ToList();
        for (var t = 0; t < tiers.Count; t++)
        {
            using var line = new SKPaint { Color = TierColors[t % TierColors.Length], StrokeWidth = 2.5f, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var dot = new SKPaint { Color = TierColors[t % TierColors.Length], IsAntialias = true, Style = SKPaintStyle.Fill };
            var points = rows.Where(r => r.MemoryGb == tiers[t] && r.Prediction is not null).OrderBy(r => r.Gpus).ToList();
            for (var i = 1; i < points.Count; i++)
            {
                canvas.DrawLine(X(points[i - 1].Gpus), Y(points[i - 1].Prediction!.JobsPerHour), X(points[i].Gpus), Y(points[i].Prediction!.JobsPerHour), line);
            }

            foreach (var p in points)
            {
                canvas.DrawCircle(X(p.Gpus), Y(p.MeasuredJobsPerHour), 5, dot);
                canvas.DrawText(p.Prediction!.Plan.Name, X(p.Gpus) + 6, Y(p.Prediction.JobsPerHour) - 6, new SKFont(SKTypeface.Default, 10), dot);
            }

            canvas.DrawLine(width - right + 20, top + 20 + (t * 24), width - right + 50, top + 20 + (t * 24), line);
            canvas.DrawText($"{tiers[t]} GB GPUs", width - right + 58, top + 25 + (t * 24), font, textPaint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        data.SaveTo(file);
    }
}
