package org.optim4j.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats tensors as PyTorch's {@code print} does (its default print options: precision 4, linewidth 80). */
final class Printer {
  private static final int PRECISION = 4;
  private static final int LINEWIDTH = 80;
  private static final int THRESHOLD = 1000;
  private static final int EDGEITEMS = 3;

  private final DType dtype;
  private final boolean intMode;
  private final boolean sciMode;
  private int width;

  private Printer(DType dtype, double[] values) {
    this.dtype = dtype;
    boolean allIntegral = true;
    double maxAbs = 0;
    double minAbs = Double.POSITIVE_INFINITY;
    boolean any = false;
    for (double v : values) {
      if (Double.isFinite(v)) {
        if (v != Math.ceil(v)) {
          allIntegral = false;
        }
        if (v != 0) {
          any = true;
          maxAbs = Math.max(maxAbs, Math.abs(v));
          minAbs = Math.min(minAbs, Math.abs(v));
        }
      }
    }
    if (!dtype.isFloatingPoint()) {
      intMode = true;
      sciMode = false;
    } else if (!any) {
      intMode = true;
      sciMode = false;
    } else if (allIntegral) {
      intMode = true;
      sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8;
    } else {
      intMode = false;
      sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4;
    }
    for (double v : values) {
      width = Math.max(width, formatRaw(v).length());
    }
  }

  static String format(Tensor t) {
    if (t.isSparse()) {
      return "tensor(indices=" + t.indices() + ",\n       values=" + t.values() + ",\n       size=" + sizeTuple(t.shapeRef())
          + ", nnz=" + t.values().shapeRef()[0] + ", layout=torch.sparse_coo" + suffix(t) + ")";
    }
    Tensor c = t.contiguousCopy();
    int n = c.numelInt();
    boolean summarize = n > THRESHOLD;
    double[] all = new double[n];
    for (int i = 0; i < n; i++) {
      all[i] = c.storage().get(i);
    }
    double[] shown = summarize ? summarizedValues(c) : all;
    Printer p = new Printer(t.dtype(), shown);
    StringBuilder sb = new StringBuilder("tensor(");
    if (n == 0 && t.dim() > 0) {
      sb.append("[]");
      if (t.dim() != 1) {
        sb.append(", size=").append(sizeTuple(t.shapeRef()));
      }
    } else if (t.dim() == 0) {
      sb.append(p.formatValue(all[0]));
    } else {
      sb.append(p.render(c, 0, 0, 7, summarize));
    }
    if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL) {
      sb.append(", dtype=").append(t.dtype().torchName());
    }
    return sb.append(suffix(t)).append(')').toString();
  }

  private static String suffix(Tensor t) {
    if (t.gradFn() != null) {
      return ", grad_fn=<" + t.gradFn().name() + ">";
    }
    return t.requiresGrad() ? ", requires_grad=True" : "";
  }

  private static String sizeTuple(int[] shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  private static double[] summarizedValues(Tensor c) {
    List<Double> out = new ArrayList<>();
    collect(c, 0, 0, out);
    double[] r = new double[out.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = out.get(i);
    }
    return r;
  }

  private static void collect(Tensor c, int dim, int base, List<Double> out) {
    int[] shape = c.shapeRef();
    int stride = c.stridesRef()[dim];
    for (int i : indices(shape[dim], true)) {
      if (dim == shape.length - 1) {
        out.add(c.storage().get(base + i * stride));
      } else {
        collect(c, dim + 1, base + i * stride, out);
      }
    }
  }

  private static int[] indices(int size, boolean summarize) {
    if (!summarize || size <= 2 * EDGEITEMS) {
      int[] r = new int[size];
      for (int i = 0; i < size; i++) {
        r[i] = i;
      }
      return r;
    }
    int[] r = new int[2 * EDGEITEMS];
    for (int i = 0; i < EDGEITEMS; i++) {
      r[i] = i;
      r[EDGEITEMS + i] = size - EDGEITEMS + i;
    }
    return r;
  }

  private String render(Tensor c, int dim, int base, int indent, boolean summarize) {
    int[] shape = c.shapeRef();
    int size = shape[dim];
    int stride = c.stridesRef()[dim];
    boolean cut = summarize && size > 2 * EDGEITEMS;
    if (dim == shape.length - 1) {
      int elementLength = width + 2;
      int perLine = Math.max(1, (LINEWIDTH - indent) / elementLength);
      List<String> data = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (cut && i == EDGEITEMS) {
          data.add(" ...");
          i = size - EDGEITEMS;
        }
        data.add(formatValue(c.storage().get(base + i * stride)));
      }
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < data.size(); i += perLine) {
        lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
      }
      return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }
    List<String> slices = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (cut && i == EDGEITEMS) {
        slices.add("...");
        i = size - EDGEITEMS;
      }
      slices.add(render(c, dim + 1, base + i * stride, indent + 1, summarize));
    }
    String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
    return "[" + String.join(sep, slices) + "]";
  }

  private String formatValue(double v) {
    String s = formatRaw(v);
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  private String formatRaw(double v) {
    if (dtype == DType.BOOL) {
      return v != 0 ? "True" : "False";
    }
    if (!dtype.isFloatingPoint()) {
      return Long.toString((long) v);
    }
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (sciMode) {
      return String.format(Locale.ROOT, "%." + PRECISION + "e", v);
    }
    if (intMode) {
      return String.format(Locale.ROOT, "%.0f", v) + ".";
    }
    return String.format(Locale.ROOT, "%." + PRECISION + "f", v);
  }
}
