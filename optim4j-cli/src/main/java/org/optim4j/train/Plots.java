package org.optim4j.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of a run (XChart, rendered off-screen; no display is needed). Every chart has a title,
 * labelled axes and a legend; files are replaced atomically, so a viewer never sees half a PNG.
 */
public final class Plots {
  private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
  private static final BasicStroke SOLID = new BasicStroke(2f);
  private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {8f, 5f}, 0f);

  /**
   * A curve to draw.
   *
   * @param label the legend entry
   * @param x the x values
   * @param y the y values
   */
  public record Curve(String label, double[] x, double[] y) {}

  private Plots() {}

  /**
   * Writes {@code loss.png}, {@code accuracy.png} (classification only) and {@code lr.png} into {@code dir}:
   * training and test curves per epoch, and the learning rate each epoch started with.
   */
  public static void training(List<EpochMetrics> history, Path dir, String title, boolean classification) {
    double[] epochs = column(history, m -> m.epoch());
    XYChart loss = chart(title + " — loss", "epoch", "mean loss per sample");
    add(loss, "training loss", epochs, column(history, EpochMetrics::trainLoss), 0, false, epochs.length);
    add(loss, "test loss", epochs, column(history, EpochMetrics::testLoss), 1, true, epochs.length);
    write(loss, dir.resolve("loss.png"));
    if (classification) {
      XYChart acc = chart(title + " — accuracy", "epoch", "accuracy");
      add(acc, "training accuracy", epochs, column(history, EpochMetrics::trainPerformance), 0, false,
          epochs.length);
      add(acc, "test accuracy", epochs, column(history, EpochMetrics::testPerformance), 1, true, epochs.length);
      acc.getStyler().setLegendPosition(LegendPosition.InsideSE);
      write(acc, dir.resolve("accuracy.png"));
    }
    XYChart lr = chart(title + " — learning rate", "epoch", "learning rate (group 0, at the start of the epoch)");
    double[] lrs = column(history, EpochMetrics::lr);
    add(lr, "lr", epochs, lrs, 2, false, epochs.length);
    if (!lr.getSeriesMap().isEmpty()) {
      lr.getSeriesMap().get("lr").setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    }
    logScaleIfSpread(lr, lrs);
    write(lr, dir.resolve("lr.png"));
  }

  /**
   * One PNG comparing runs: the loss curves on the left (training solid, test dashed; a log scale when the
   * losses span more than a factor of 20) and the accuracy curves on the right, one colour per run.
   */
  public static void compare(Map<String, List<EpochMetrics>> runs, Path file, String title,
      boolean classification) {
    XYChart loss = chart(title + " — loss (solid: training, dashed: test)", "epoch", "mean loss per sample");
    XYChart acc = chart(title + " — accuracy (solid: training, dashed: test)", "epoch", "accuracy");
    int colour = 0;
    List<Double> losses = new ArrayList<>();
    for (Map.Entry<String, List<EpochMetrics>> run : runs.entrySet()) {
      List<EpochMetrics> h = run.getValue();
      double[] epochs = column(h, m -> m.epoch());
      double[] trainLoss = column(h, EpochMetrics::trainLoss);
      double[] testLoss = column(h, EpochMetrics::testLoss);
      for (int i = 0; i < trainLoss.length; i++) {
        losses.add(trainLoss[i]);
        losses.add(testLoss[i]);
      }
      add(loss, run.getKey(), epochs, trainLoss, colour, false, epochs.length);
      add(loss, run.getKey() + " (test)", epochs, testLoss, colour, true, epochs.length);
      add(acc, run.getKey(), epochs, column(h, EpochMetrics::trainPerformance), colour, false, epochs.length);
      add(acc, run.getKey() + " (test)", epochs, column(h, EpochMetrics::testPerformance), colour, true,
          epochs.length);
      colour++;
    }
    for (XYChart c : List.of(loss, acc)) {
      c.getStyler().setLegendPosition(LegendPosition.OutsideE);
      c.getSeriesMap().forEach((name, series) -> series.setShowInLegend(!name.endsWith(" (test)")));
    }
    logScaleIfSpread(loss, losses.stream().mapToDouble(Double::doubleValue).toArray());
    write(classification ? List.of(loss, acc) : List.of(loss), 1, classification ? 2 : 1, file);
  }

  /** One PNG with one small chart per curve of learning rate against step, in a grid of {@code columns}. */
  public static void schedules(List<Curve> curves, Path file, String xTitle, int columns) {
    List<XYChart> charts = new ArrayList<>();
    int colour = 0;
    for (Curve c : curves) {
      XYChart chart = new XYChartBuilder().width(600).height(340).title(c.label()).xAxisTitle(xTitle)
          .yAxisTitle("learning rate").build();
      style(chart);
      chart.getStyler().setLegendVisible(false);
      add(chart, "lr", c.x(), c.y(), colour++, false, c.x().length);
      charts.add(chart);
    }
    int rows = (curves.size() + columns - 1) / columns;
    while (charts.size() < rows * columns) {
      XYChart blank = new XYChartBuilder().width(600).height(340).title(" ").build();
      XYStyler st = blank.getStyler();
      st.setChartBackgroundColor(Color.WHITE);
      st.setPlotBackgroundColor(Color.WHITE);
      st.setPlotBorderVisible(false);
      st.setPlotGridLinesVisible(false);
      st.setAxisTicksVisible(false);
      st.setLegendVisible(false);
      charts.add(blank);
    }
    write(charts, rows, columns, file);
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    style(chart);
    return chart;
  }

  private static void style(XYChart chart) {
    XYStyler st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotGridLinesColor(new Color(225, 225, 225));
    st.setLegendPosition(LegendPosition.InsideNE);
    st.setLegendBorderColor(new Color(200, 200, 200));
    st.setAntiAlias(true);
    st.setPlotMargin(8);
    st.setXAxisDecimalPattern("#,##0.###");
    st.setXAxisTickMarkSpacingHint(90);
    st.setYAxisDecimalPattern("0.####");
  }

  private static void add(XYChart chart, String name, double[] x, double[] y, int colour, boolean dashed,
      int points) {
    if (x.length == 0 || allNaN(y)) {
      return;
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setLineColor(PALETTE[colour % PALETTE.length]);
    s.setLineStyle(dashed ? DASHED : SOLID);
    if (points <= 40) {
      s.setMarker(dashed ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
      s.setMarkerColor(PALETTE[colour % PALETTE.length]);
    } else {
      s.setMarker(SeriesMarkers.NONE);
    }
  }

  private static void logScaleIfSpread(XYChart chart, double[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (min > 0 && max / min > 20) {
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setYAxisDecimalPattern("0.#E0");
    }
  }

  private static boolean allNaN(double[] y) {
    for (double v : y) {
      if (!Double.isNaN(v)) {
        return false;
      }
    }
    return true;
  }

  private static double[] column(List<EpochMetrics> history, java.util.function.ToDoubleFunction<EpochMetrics> f) {
    double[] out = new double[history.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(history.get(i));
    }
    return out;
  }

  private static void write(XYChart chart, Path file) {
    try {
      AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(List<XYChart> charts, int rows, int columns, Path file) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      BitmapEncoder.saveBitmap(charts, rows, columns, png, BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render " + file + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(file, png.toByteArray());
  }
}
