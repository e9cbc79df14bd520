package org.optim4j.tensor;

import org.optim4j.tensor.internal.ConvGeometry;
import org.optim4j.tensor.internal.PoolGeometry;

/**
 * Every backward rule, in one table: given a node and the gradient of its output, the gradients of its
 * inputs (null where an input needs none). Rules run under no-grad and use ordinary tensor operations;
 * the engine then undoes broadcasting with one {@link Tensor#sumTo} and restores each input's dtype.
 */
final class Derivatives {
  private Derivatives() {}

  static Tensor[] apply(Node node, Tensor g) {
    int[] in0 = node.inputShapes.length > 0 ? node.inputShapes[0] : null;
    switch (node.op) {
      case ADD: {
        Tensor gb = node.ctx == null ? g : g.mul((Double) node.ctx);
        return new Tensor[] {g, gb};
      }
      case SUB:
        return new Tensor[] {g, needs(node, 1) ? g.neg() : null};
      case MUL:
        if (node.ctx != null) {
          return new Tensor[] {g.mul((Double) node.ctx)};
        }
        return new Tensor[] {
          needs(node, 0) ? g.mul(node.saved(1)) : null, needs(node, 1) ? g.mul(node.saved(0)) : null};
      case DIV:
        if (node.ctx != null) {
          return new Tensor[] {g.div((Double) node.ctx)};
        }
        {
          Tensor a = node.saved(0);
          Tensor b = node.saved(1);
          return new Tensor[] {
            needs(node, 0) ? g.div(b) : null, needs(node, 1) ? g.neg().mul(a).div(b.mul(b)) : null};
        }
      case NEG:
        return new Tensor[] {g.neg()};
      case POW: {
        double p = (Double) node.ctx;
        Tensor x = node.saved(0);
        if (p == 0) {
          return new Tensor[] {Tensor.zerosLike(x)};
        }
        return new Tensor[] {g.mul(x.pow(p - 1).mul(p))};
      }
      case POW_TENSOR: {
        Tensor x = node.saved(0);
        Tensor e = node.saved(1);
        Tensor out = node.saved(2);
        Tensor gx = needs(node, 0) ? g.mul(e.mul(x.pow(e.sub(1)))) : null;
        Tensor ge = null;
        if (needs(node, 1)) {
          Tensor safe = Tensor.where(x.eq(0).mul(e.ge(0)).ne(0), Tensor.zerosLike(x).add(1), x);
          ge = g.mul(out.mul(safe.log()));
        }
        return new Tensor[] {gx, ge};
      }
      case RPOW: {
        double base = (Double) node.ctx;
        return new Tensor[] {g.mul(node.saved(0).mul(Math.log(base)))};
      }
      case SQRT:
        return new Tensor[] {g.div(node.saved(0).mul(2))};
      case RSQRT: {
        Tensor out = node.saved(0);
        return new Tensor[] {g.mul(out.pow(3)).mul(-0.5)};
      }
      case EXP:
        return new Tensor[] {g.mul(node.saved(0))};
      case LOG:
        return new Tensor[] {g.div(node.saved(0))};
      case ABS:
        return new Tensor[] {g.mul(node.saved(0).sign())};
      case SIGN:
        return new Tensor[] {Tensor.zerosLike(g)};
      case CLAMP: {
        double[] bounds = (double[]) node.ctx;
        Tensor x = node.saved(0);
        Tensor keep = x.ge(bounds[0]).mul(x.le(bounds[1]));
        return new Tensor[] {g.mul(keep.to(g.dtype()))};
      }
      case MAXIMUM:
      case MINIMUM: {
        Tensor a = node.saved(0);
        Tensor b = node.saved(1);
        Tensor win = node.op == Op.MAXIMUM ? a.gt(b) : a.lt(b);
        Tensor lose = node.op == Op.MAXIMUM ? a.lt(b) : a.gt(b);
        Tensor tie = a.eq(b).to(g.dtype()).mul(0.5);
        Tensor ga = needs(node, 0) ? g.mul(win.to(g.dtype()).add(tie)) : null;
        Tensor gb = needs(node, 1) ? g.mul(lose.to(g.dtype()).add(tie)) : null;
        return new Tensor[] {ga, gb};
      }
      case WHERE: {
        Tensor c = node.saved(0);
        Tensor zero = Tensor.zeros(g.dtype());
        return new Tensor[] {
          needs(node, 0) ? Tensor.where(c, g, zero) : null, needs(node, 1) ? Tensor.where(c, zero, g) : null};
      }
      case RELU:
        return new Tensor[] {Pointwise.reluBackward(g, node.saved(0))};
      case SIGMOID: {
        Tensor out = node.saved(0);
        return new Tensor[] {g.mul(out.mul(out.rsub(1)))};
      }
      case TANH: {
        Tensor out = node.saved(0);
        return new Tensor[] {g.mul(out.mul(out).rsub(1))};
      }
      case SUM:
        return new Tensor[] {g.reshape((int[]) node.ctx).expand(in0).contiguous()};
      case MEAN: {
        Object[] c = (Object[]) node.ctx;
        return new Tensor[] {g.reshape((int[]) c[0]).expand(in0).div((Integer) c[1])};
      }
      case MAX_DIM:
      case MIN_DIM: {
        Object[] c = (Object[]) node.ctx;
        return new Tensor[] {scatterAlong(g, node.saved(0), (Integer) c[0], in0)};
      }
      case MAX_ALL:
      case MIN_ALL: {
        Tensor x = node.saved(0);
        Tensor mask = x.eq(node.saved(1)).to(g.dtype());
        return new Tensor[] {mask.mul(g.div(mask.sum()))};
      }
      case NORM:
        return new Tensor[] {normBackward(node, g)};
      case VAR: {
        Object[] c = (Object[]) node.ctx;
        int[] keep = (int[]) c[0];
        double correction = (Double) c[1];
        int width = (Integer) c[2];
        Tensor x = node.saved(0);
        int[] dims = reducedDims(keep, in0);
        Tensor centered = x.sub(x.mean(dims, true));
        return new Tensor[] {g.reshape(keep).mul(centered).mul(2.0 / (width - correction))};
      }
      case SOFTMAX:
        return new Tensor[] {Reductions.softmaxBackward(g, node.saved(0), (Integer) node.ctx, false)};
      case LOG_SOFTMAX:
        return new Tensor[] {Reductions.softmaxBackward(g, node.saved(0), (Integer) node.ctx, true)};
      case MM:
        return new Tensor[] {
          needs(node, 0) ? g.mm(node.saved(1).t()) : null, needs(node, 1) ? node.saved(0).t().mm(g) : null};
      case BMM:
        return new Tensor[] {
          needs(node, 0) ? g.bmm(node.saved(1).transpose(1, 2)) : null,
          needs(node, 1) ? node.saved(0).transpose(1, 2).bmm(g) : null};
      case VIEW:
        return new Tensor[] {g.reshape(in0)};
      case PERMUTE: {
        int[] perm = (int[]) node.ctx;
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
          inverse[perm[i]] = i;
        }
        return new Tensor[] {g.permute(inverse)};
      }
      case EXPAND:
        return new Tensor[] {g.sumTo(in0)};
      case NARROW: {
        int[] c = (int[]) node.ctx;
        Tensor gi = Tensor.zeros(g.dtype(), in0);
        gi.narrow(c[0], c[1], g.shapeRef()[c[0]]).copy_(g);
        return new Tensor[] {gi};
      }
      case SELECT: {
        int[] c = (int[]) node.ctx;
        Tensor gi = Tensor.zeros(g.dtype(), in0);
        gi.select(c[0], c[1]).copy_(g);
        return new Tensor[] {gi};
      }
      case CAT: {
        int[][] c = (int[][]) node.ctx;
        int d = c[0][0];
        int[] sizes = c[1];
        Tensor[] out = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
          if (node.inputShapes[i].length == 1 && node.inputShapes[i][0] == 0 && in0.length != 1) {
            out[i] = null;
            continue;
          }
          out[i] = needs(node, i) ? g.narrow(d, at, sizes[i]) : null;
          at += sizes[i];
        }
        return out;
      }
      case CLONE:
      case TO_DTYPE:
        return new Tensor[] {g};
      case INDEX_SELECT: {
        Object[] c = (Object[]) node.ctx;
        int d = (Integer) c[0];
        long[] idx = (long[]) c[1];
        Tensor gi = Tensor.zeros(g.dtype(), in0);
        if (in0.length == 0) {
          for (int r = 0; r < idx.length; r++) {
            gi.add_(g);
          }
          return new Tensor[] {gi};
        }
        for (int r = 0; r < idx.length; r++) {
          int i = (int) (idx[r] < 0 ? idx[r] + in0[d] : idx[r]);
          gi.select(d, i).add_(g.select(d, r));
        }
        return new Tensor[] {gi};
      }
      case ADDMM:
        return new Tensor[] {
          needs(node, 0) ? g.mm(node.saved(1)) : null, needs(node, 1) ? g.t().mm(node.saved(0)) : null, g};
      case CONVOLUTION:
        return Convolution.backward((ConvGeometry) node.ctx, node.saved(0), node.saved(1), g, needs(node, 0),
            needs(node, 1), needs(node, 2));
      case MAX_POOL2D:
        return new Tensor[] {Pooling.maxBackward((PoolGeometry) node.ctx, g, node.saved(0), in0)};
      case AVG_POOL2D:
        return new Tensor[] {Pooling.avgBackward((Pooling.AvgParams) node.ctx, g, in0)};
      case BATCH_NORM:
        return BatchNorm.backward((BatchNorm.Params) node.ctx, g, node.saved(0), node.saved(1), node.saved(2),
            node.saved(3), needs(node, 0), needs(node, 1), needs(node, 2));
      case DROPOUT:
        return new Tensor[] {g.mul(node.saved(0))};
      case EMBEDDING:
        return new Tensor[] {Embedding.backward((Embedding.Params) node.ctx, g, node.saved(0))};
      case NLL_LOSS:
      case NLL_LOSS2D:
        return new Tensor[] {Losses.nllBackward((Losses.NllParams) node.ctx, g, node.saved(0), node.saved(1), in0)};
      case MSE_LOSS: {
        int reduction = (Integer) node.ctx;
        Tensor a = node.saved(0);
        Tensor b = node.saved(1);
        return new Tensor[] {
          needs(node, 0) ? Losses.mseBackward(reduction, g, a, b) : null,
          needs(node, 1) ? Losses.mseBackward(reduction, g, b, a) : null};
      }
      default:
        throw new IllegalStateException("no backward rule for " + node.op);
    }
  }

  private static boolean needs(Node node, int i) {
    return i < node.next.length && node.next[i] != null;
  }

  private static int[] reducedDims(int[] keep, int[] shape) {
    int n = 0;
    for (int i = 0; i < shape.length; i++) {
      if (keep[i] == 1 && shape[i] != 1) {
        n++;
      }
    }
    int[] dims = new int[n];
    for (int i = 0, k = 0; i < shape.length; i++) {
      if (keep[i] == 1 && shape[i] != 1) {
        dims[k++] = i;
      }
    }
    return dims;
  }

  /** A zero tensor of {@code shape} with {@code g} written at {@code index} along {@code dim}. */
  private static Tensor scatterAlong(Tensor g, Tensor index, int dim, int[] shape) {
    Tensor out = Tensor.zeros(g.dtype(), shape);
    if (shape.length == 0) {
      return g.reshape().clone();
    }
    Tensor gc = g.contiguousCopy();
    long[] idx = index.toLongArray();
    int inner = 1;
    for (int i = dim + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    int size = shape[dim];
    Storage src = gc.storage();
    Storage dst = out.storage();
    for (int j = 0; j < idx.length; j++) {
      int outer = j / inner;
      int in = j % inner;
      dst.set(outer * size * inner + (int) idx[j] * inner + in, src.get(j));
    }
    return out;
  }

  private static Tensor normBackward(Node node, Tensor g) {
    Object[] c = (Object[]) node.ctx;
    double p = (Double) c[0];
    int[] keep = (int[]) c[1];
    Tensor x = node.saved(0);
    Tensor norm = node.saved(1).reshape(keep);
    Tensor gk = g.reshape(keep);
    if (p == 0) {
      return Tensor.zerosLike(x);
    }
    if (p == 1) {
      return gk.mul(x.sign());
    }
    if (Double.isInfinite(p)) {
      Tensor mask = x.abs().eq(norm).to(x.dtype());
      int[] dims = reducedDims(keep, x.shapeRef());
      Tensor count = dims.length == 0 ? Tensor.onesLike(norm) : mask.sum(dims, true);
      return gk.mul(x.sign()).mul(mask).div(count);
    }
    Tensor zero = Tensor.zeros(x.dtype());
    Tensor scaled;
    if (p == 2) {
      scaled = x.div(norm);
    } else {
      scaled = x.mul(x.abs().pow(p - 2)).div(norm.pow(p - 1));
    }
    Tensor safe = Tensor.where(norm.eq(0).expand(x.shapeRef()), zero, scaled);
    return gk.mul(safe);
  }
}
