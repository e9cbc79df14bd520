package org.optim4j.optim.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.optim4j.optim.contract.StateValues.copyOf;
import static org.optim4j.optim.contract.StateValues.exact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.optim4j.optim.Optimizer;
import org.optim4j.optim.Optimizers;
import org.optim4j.optim.ParamGroup;
import org.optim4j.optim.contract.OptimizerInfo.Trait;
import org.optim4j.tensor.DType;
import org.optim4j.tensor.Tensor;
import org.optim4j.tensor.testing.Fixtures;
import org.optim4j.tensor.testing.Tolerance;

/**
 * The contract every optimizer keeps, run for every entry of {@link OptimizerInfo#ALL} (PyTorch's
 * {@code OptimizerInfo} suite): descent and ascent on a quadratic, parameters without a gradient, a group with
 * lr 0, zero-size parameters, float32 and float64 groups side by side, state replaced through
 * {@code state(p)}, the state-dict round trip, old state dicts (PyTorch 1.13's layout, recorded by
 * tools/reference/gen_seeds.py), {@code toString}, and the construction errors.
 *
 * <p>Each check compares with something independent: a closed form (the quadratic's value), a second run
 * that must agree bit for bit (minimizing −f for maximize, a run without the extra parameter or group, a
 * second optimizer given the same state through {@code loadStateDict}), or PyTorch's values and messages.
 */
class OptimizerContractTest {
  private static final int STEPS = 20;
  private static final int FEW_STEPS = 3;
  /** LBFGS is compared with PyTorch at this tolerance: its dot products sum in another order than MKL's. */
  static final double RTOL_LBFGS = 1e-10;
  /** The 0-dim state scalars PyTorch keeps in float32 whatever the parameter's dtype. */
  private static final Set<String> FLOAT32_SCALARS = Set.of("step", "eta", "mu", "mu_product");

  static Stream<OptimizerInfo> infos() {
    return OptimizerInfo.ALL.stream();
  }

  @Test
  void everyOptimizerHasAnEntry() {
    Set<String> table = OptimizerInfo.ALL.stream().map(OptimizerInfo::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    assertEquals(OptimizerInfo.ALL.size(), table.size(), "one entry per optimizer");
    Set<String> missing = new TreeSet<>(Optimizers.names());
    missing.removeAll(table);
    assertTrue(missing.isEmpty(), "Optimizers.names() has optimizers without an OptimizerInfo entry: " + missing);
    Set<String> unknown = new TreeSet<>(table);
    unknown.removeAll(Optimizers.names());
    assertTrue(unknown.isEmpty(), "OptimizerInfo entries unknown to Optimizers: " + unknown);
  }

  // ---------------------------------------------------------------------------------------------
  // Descent

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void theLossGoesDownOnAQuadratic(OptimizerInfo info) {
    Tensor x = param(DType.FLOAT64, 2, 3);
    Quadratic f = new Quadratic(info, List.of(x), 1);
    Optimizer opt = create(info, List.of(x), info.converging());
    double f0 = f.value();
    for (int t = 0; t < STEPS; t++) {
      f.step(opt);
    }
    assertTrue(f.value() < f0 / 4, info + ": f went from " + f0 + " to " + f.value() + " in " + STEPS + " steps");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void maximizeClimbsTakingTheStepsOfMinimizingTheNegation(OptimizerInfo info) {
    Map<String, Object> maximizing = new LinkedHashMap<>(info.converging());
    maximizing.put("maximize", true);
    if (!info.hasKeyword("maximize")) {
      assertThrows(IllegalArgumentException.class, () -> create(info, List.of(param(DType.FLOAT64, 2, 3)), maximizing));
      return;
    }
    Tensor x = param(DType.FLOAT64, 2, 3);
    Quadratic f = new Quadratic(info, List.of(x), 1);
    Optimizer up = create(info, List.of(x), maximizing);
    Tensor y = param(DType.FLOAT64, 2, 3);
    Quadratic minusF = new Quadratic(info, List.of(y), -1);
    Optimizer down = create(info, List.of(y), info.converging());
    double f0 = f.value();
    for (int t = 1; t <= STEPS; t++) {
      f.step(up);
      minusF.step(down);
      assertEquals(exact(y), exact(x), info + ": maximizing f and minimizing -f differ at step " + t);
    }
    assertTrue(f.value() > 2 * f0, info + ": maximizing took f from " + f0 + " to " + f.value());
  }

  // ---------------------------------------------------------------------------------------------
  // Parameters that do not take part

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void aParameterWithoutGradientGetsNoStateAndDoesNotMove(OptimizerInfo info) {
    Tensor x = param(DType.FLOAT64, 2, 3);
    Tensor q = param(DType.FLOAT64, 2, 3);
    String q0 = exact(q);
    Optimizer opt = create(info, List.of(x, q), info.stateRunOptions());
    String eagerState = exact(stateOf(opt).get(1));
    Quadratic f = new Quadratic(info, List.of(x), 1);
    for (int t = 0; t < FEW_STEPS; t++) {
      f.step(opt);
    }
    assertEquals(q0, exact(q), info + ": a parameter without a gradient moved");
    if (info.has(Trait.EAGER_STATE)) {
      assertNotNull(stateOf(opt).get(1), info + " creates its state at construction");
      assertEquals(eagerState, exact(stateOf(opt).get(1)),
          info + ": the state of a parameter without a gradient changed");
    } else {
      assertFalse(stateOf(opt).containsKey(1),
          info + ": a parameter without a gradient got state " + stateOf(opt).get(1));
    }
    assertNotEquals(exact(param(DType.FLOAT64, 2, 3)), exact(x), info + ": the parameter with a gradient did not move");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void aGroupWithLearningRateZeroDoesNotMove(OptimizerInfo info) {
    Map<String, Object> still = new LinkedHashMap<>();
    still.put("lr", 0.0);
    if (info.hasKeyword("weight_decay")) {
      still.put("weight_decay", 0.0);
    }
    if (info.hasKeyword("step_sizes")) {
      still.put("step_sizes", List.of(0.0, 50.0)); // Rprop clamps its steps to at least step_sizes[0], as PyTorch's
    }
    Tensor x = param(DType.FLOAT64, 2, 3);
    Tensor y = param(DType.FLOAT64, 2, 3);
    String y0 = exact(y);
    Optimizer opt;
    if (info.has(Trait.GLOBAL_STATE)) {
      Map<String, Object> options = new LinkedHashMap<>(info.converging());
      options.putAll(still);
      opt = create(info, List.of(y), options);
    } else {
      ParamGroup frozen = ParamGroup.of(y);
      still.forEach(frozen::with);
      opt = create(info, List.of(ParamGroup.of(x), frozen), info.converging());
    }
    Quadratic f = new Quadratic(info, info.has(Trait.GLOBAL_STATE) ? List.of(y) : List.of(x, y), 1);
    for (int t = 0; t < FEW_STEPS; t++) {
      f.step(opt);
    }
    assertEquals(y0, exact(y), info + ": a group with lr=0 moved");
    if (!info.has(Trait.GLOBAL_STATE)) {
      assertNotEquals(y0, exact(x), info + ": the other group did not move");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Shapes and dtypes

  /**
   * A zero-size parameter beside another: the other steps as if it were absent, and it keeps its shape and
   * gets the same state keys, parameter-shaped ones of its shape. (PyTorch 2.13's Adafactor raises
   * ZeroDivisionError here: it divides the parameter's norm by √numel in Python. Ours does not.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void zeroSizeParametersChangeNothingElse(OptimizerInfo info) {
    Tensor x = param(DType.FLOAT64, 2, 3);
    Tensor empty = param(DType.FLOAT64, 0, 3);
    Optimizer opt = create(info, List.of(x, empty), info.stateRunOptions());
    Quadratic f = new Quadratic(info, List.of(x, empty), 1);
    Tensor alone = param(DType.FLOAT64, 2, 3);
    Optimizer reference = create(info, List.of(alone), info.stateRunOptions());
    Quadratic g = new Quadratic(info, List.of(alone), 1);
    for (int t = 1; t <= FEW_STEPS; t++) {
      f.step(opt);
      g.step(reference);
      assertEquals(exact(alone), exact(x), info + ": a zero-size parameter changed the other one at step " + t);
    }
    assertArrayEquals(new int[] {0, 3}, empty.shape());
    if (!info.has(Trait.GLOBAL_STATE)) {
      Map<String, Object> full = opt.state(x);
      Map<String, Object> none = opt.state(empty);
      assertEquals(full.keySet(), none.keySet(), info + ": the state keys of a zero-size parameter");
      full.forEach((k, v) -> {
        if (v instanceof Tensor s && Arrays.equals(s.shape(), x.shape())) {
          assertArrayEquals(empty.shape(), ((Tensor) none.get(k)).shape(),
              info + ": state " + k + " of a zero-size parameter");
        }
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void float32AndFloat64GroupsKeepTheirOwnDtypes(OptimizerInfo info) {
    Tensor x32 = param(DType.FLOAT32, 2, 3);
    Tensor x64 = param(DType.FLOAT64, 2, 3);
    Map<String, Object> options = info.stateRunOptions();
    if (info.has(Trait.GLOBAL_STATE)) {
      Optimizer opt = create(info, List.of(x32, x64), options);
      Quadratic f = new Quadratic(info, List.of(x32, x64), 1);
      for (int t = 0; t < FEW_STEPS; t++) {
        f.step(opt);
      }
      assertEquals(DType.FLOAT32, x32.dtype());
      assertEquals(DType.FLOAT64, x64.dtype());
      DType flat = DType.promote(DType.FLOAT32, DType.FLOAT64);
      forEachTensor(opt.state(x32), (key, s) -> assertEquals(flat, s.dtype(), info + ": state " + key));
      return;
    }
    Optimizer opt = create(info, List.of(ParamGroup.of(x32), ParamGroup.of(x64)), options);
    Quadratic f = new Quadratic(info, List.of(x32, x64), 1);
    Tensor y32 = param(DType.FLOAT32, 2, 3);
    Optimizer only32 = create(info, List.of(y32), options);
    Quadratic f32 = new Quadratic(info, List.of(y32), 1);
    Tensor y64 = param(DType.FLOAT64, 2, 3);
    Optimizer only64 = create(info, List.of(y64), options);
    Quadratic f64 = new Quadratic(info, List.of(y64), 1);
    for (int t = 1; t <= FEW_STEPS; t++) {
      f.step(opt);
      f32.step(only32);
      f64.step(only64);
      assertEquals(exact(y32), exact(x32), info + ": the float32 group differs from its run alone at step " + t);
      assertEquals(exact(y64), exact(x64), info + ": the float64 group differs from its run alone at step " + t);
    }
    for (Tensor p : List.of(x32, x64)) {
      assertFalse(opt.state(p).isEmpty(), info + ": no state");
      forEachTensor(opt.state(p), (key, s) -> {
        DType expected = FLOAT32_SCALARS.contains(key) && s.dim() == 0 ? DType.FLOAT32 : p.dtype();
        assertEquals(expected, s.dtype(), info + ": state " + key + " of a " + p.dtype() + " parameter");
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /**
   * For each state key: an optimizer whose state tensor is replaced through {@code state(p)} continues
   * exactly as one given the same tensor through {@code loadStateDict}, and differently from one left alone
   * (except for the keys the next step overwrites before reading them). In float32, where loading casts
   * nothing: for a float64 parameter PyTorch's {@code loadStateDict} casts ASGD's {@code eta}/{@code mu} and
   * NAdam's {@code mu_product} from float32 to float64, so the two ways would differ in the last bits.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void aStateTensorReplacedThroughStateTakesEffectAtTheNextStep(OptimizerInfo info) {
    Run probe = new Run(info, DType.FLOAT32);
    List<String> keys = new ArrayList<>();
    probe.opt.state(probe.x).forEach((k, v) -> {
      if (v instanceof Tensor || v instanceof List<?> l && l.stream().anyMatch(Tensor.class::isInstance)) {
        keys.add(k);
      }
    });
    assertFalse(keys.isEmpty(), info + ": no state tensors with " + info.stateRunOptions());
    for (String key : keys) {
      Run replaced = new Run(info, DType.FLOAT32);
      Run loaded = new Run(info, DType.FLOAT32);
      Run untouched = new Run(info, DType.FLOAT32);
      Map<String, Object> state = replaced.opt.state(replaced.x);
      state.put(key, modified(key, state.get(key)));
      Map<String, Object> sd = copyOf(loaded.opt.stateDict());
      @SuppressWarnings("unchecked") // the state of id 0 in a state dict
      Map<String, Object> saved = (Map<String, Object>) stateOf(sd).get(0);
      saved.put(key, modified(key, saved.get(key)));
      loaded.opt.loadStateDict(sd);
      replaced.step();
      loaded.step();
      untouched.step();
      assertEquals(loaded.snapshot(), replaced.snapshot(),
          info + ": " + key + " replaced through state(p) and through loadStateDict continue differently");
      if (info.overwrittenStateKeys().contains(key)) {
        assertEquals(exact(untouched.params()), exact(replaced.params()),
            info + ": " + key + " is overwritten before it is read");
      } else {
        assertNotEquals(untouched.snapshot(), replaced.snapshot(),
            info + ": replacing " + key + " through state(p) had no effect at the next step");
      }
    }
  }

  /**
   * stateDict, a deep copy (a save and a load), loadStateDict into a fresh optimizer built without the group
   * overrides: the same state dict, then the same steps bit for bit. One exception, PyTorch's: loading casts
   * every state tensor but {@code step} to its parameter's dtype, so for a float64 parameter ASGD's
   * {@code eta}/{@code mu} and NAdam's {@code mu_product} come back as float64 (same values) and the run
   * continues from them in float64, within float32 rounding of the uninterrupted one.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void aStateDictRoundTripContinuesBitForBit(OptimizerInfo info) {
    for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
      Run original = new Run(info, dtype);
      original.step();
      Map<String, Object> saved = copyOf(original.opt.stateDict());
      Run restored = new Run(info, original.params(), false);
      restored.opt.loadStateDict(saved);
      List<String> cast = new ArrayList<>();
      original.opt.state(original.x).forEach((k, v) -> {
        if (v instanceof Tensor t && !k.equals("step") && t.dtype() != dtype) {
          cast.add(k);
        }
      });
      String where = info + " " + dtype + ": ";
      if (cast.isEmpty()) {
        assertEquals(exact(original.opt.stateDict()), exact(restored.opt.stateDict()), where + "loaded state dict");
      }
      for (String k : cast) {
        Tensor before = (Tensor) original.opt.state(original.x).get(k);
        Tensor after = (Tensor) restored.opt.state(restored.x).get(k);
        assertEquals(dtype, after.dtype(), where + k + " is cast to the parameter's dtype");
        assertArrayEquals(before.toDoubleArray(), after.toDoubleArray(), where + k);
      }
      for (int t = 1; t <= FEW_STEPS; t++) {
        original.step();
        restored.step();
        if (cast.isEmpty()) {
          assertEquals(original.snapshot(), restored.snapshot(), where + "the restored run differs at step " + t);
        } else {
          for (int i = 0; i < 2; i++) {
            double[] expected = original.params().get(i).toDoubleArray();
            StateValues.assertClose(where + "step " + t, restored.params().get(i).toDoubleArray(), expected,
                Tolerance.RTOL_FLOAT32, Tolerance.rms(expected));
          }
        }
      }
    }
  }

  /**
   * A state dict in PyTorch 1.13's layout (and, for the optimizers whose step 1.13 already saved as a tensor,
   * in the plain-number layout of older checkpoints) loads as in PyTorch 2.13 and continues as it does:
   * fixtures/seeds/legacy113.json.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void anOldStateDictLoadsAndContinuesAsInPyTorch(OptimizerInfo info) {
    Fixtures f = Fixtures.load("seeds/legacy113.json");
    List<String> cases = f.cases().stream().filter(c -> f.config(c).get("optimizer").equals(info.name())).toList();
    if (!info.has(Trait.SINCE_1_13)) {
      assertTrue(cases.isEmpty(), info + " did not exist in 1.13 but has cases " + cases);
      return;
    }
    assertFalse(cases.isEmpty(), info + ": no case in seeds/legacy113.json");
    for (String c : cases) {
      LegacyCase.run(info, f, c);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Construction

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void toStringIsPyTorchsRepr(OptimizerInfo info) {
    Optimizer opt = create(info, List.of(param(DType.FLOAT64, 2, 3)), info.converging());
    String s = opt.toString();
    String head = info.name() + " (\nParameter Group 0\n";
    assertTrue(s.startsWith(head), info + ": " + s);
    assertTrue(s.endsWith("\n)"), info + ": " + s);
    List<String> keys = Arrays.stream(s.substring(head.length(), s.length() - 2).split("\n"))
        .map(line -> line.substring(4, line.indexOf(": "))).toList();
    assertEquals(new ArrayList<>(new TreeSet<>(opt.paramGroups().get(0).keys())), keys,
        info + ": one line per group key, sorted, four spaces in");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void differentiableIsNotSupported(OptimizerInfo info) {
    Map<String, Object> options = Map.of("differentiable", true);
    List<Tensor> params = List.of(param(DType.FLOAT64, 2, 3));
    if (info.hasKeyword("differentiable")) {
      assertThrows(UnsupportedOperationException.class, () -> create(info, params, options));
    } else {
      assertThrows(IllegalArgumentException.class, () -> create(info, params, options));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void anUnknownOptionIsRejectedListingTheValidOnes(OptimizerInfo info) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create(info, List.of(param(DType.FLOAT64, 2, 3)), Map.of("bogus_option", 1)));
    String head = info.name() + ".__init__() got an unexpected keyword argument 'bogus_option'; valid keywords: ";
    assertTrue(e.getMessage().startsWith(head), e.getMessage());
    // optim4j's own keywords (such as state_dtype) follow PyTorch's, after "; optim4j extensions: "
    String pytorchKeywords = e.getMessage().substring(head.length()).split("; optim4j extensions: ")[0];
    Set<String> listed = new TreeSet<>(List.of(pytorchKeywords.split(", ")));
    assertEquals(new TreeSet<>(info.keywords()), listed, info + ": the valid keywords (PyTorch's signature)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void aNonLeafTensorIsRejected(OptimizerInfo info) {
    Tensor leaf = param(DType.FLOAT64, 2, 3);
    Tensor nonLeaf = leaf.mul(2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create(info, List.of(nonLeaf), info.converging()));
    assertEquals("can't optimize a non-leaf Tensor", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void anEmptyParameterListIsRejected(OptimizerInfo info) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create(info, List.of(), info.converging()));
    assertEquals("optimizer got an empty parameter list", e.getMessage());
  }

  /** The traits of the table are real: what they say is required is required, and only there. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("infos")
  void theTraitsOfTheTableHold(OptimizerInfo info) {
    Tensor x = param(DType.FLOAT64, 2, 3);
    Optimizer opt = create(info, List.of(x), info.converging());
    x.setGrad(info.has(Trait.SPARSE_GRADS) ? Quadratic.sparse(Tensor.onesLike(x)) : Tensor.onesLike(x));
    if (info.has(Trait.NEEDS_CLOSURE)) {
      assertThrows(NullPointerException.class, opt::step, info + " needs a closure");
    } else {
      opt.step();
    }
    x.setGrad(Tensor.onesLike(x));
    if (info.has(Trait.SPARSE_GRADS)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, opt::step);
      assertEquals("SparseAdam does not support dense gradients, please consider Adam instead", e.getMessage());
    } else if (!info.has(Trait.NEEDS_CLOSURE)) {
      opt.step();
    }
    List<Tensor> vector = List.of(param(DType.FLOAT64, 3));
    if (info.has(Trait.MATRIX_ONLY)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> create(info, vector, info.converging()));
      assertEquals(info.name() + " only supports 2D parameters whereas we found a parameter with size: "
          + "torch.Size([3])", e.getMessage());
    } else {
      create(info, vector, info.converging());
    }
    if (info.has(Trait.GLOBAL_STATE)) {
      assertThrows(IllegalArgumentException.class, () -> create(info,
          List.of(ParamGroup.of(param(DType.FLOAT64, 2)), ParamGroup.of(param(DType.FLOAT64, 2))), info.converging()));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  static Optimizer create(OptimizerInfo info, List<?> params, Map<String, ?> options) {
    return Optimizers.create(info.name(), params, options);
  }

  /** A parameter whose values cycle through {@link Quadratic#START}. */
  static Tensor param(DType dtype, int... shape) {
    int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Quadratic.START[i % Quadratic.START.length];
    }
    return Tensor.of(v).to(dtype).reshape(shape).requiresGrad_(true);
  }

  @SuppressWarnings("unchecked") // the "state" of a state dict
  static Map<Integer, Object> stateOf(Map<String, Object> stateDict) {
    return (Map<Integer, Object>) stateDict.get("state");
  }

  static Map<Integer, Object> stateOf(Optimizer opt) {
    return stateOf(opt.stateDict());
  }

  /**
   * A state value changed so that it matters: a step counter advanced by 3, Rprop's {@code prev} (of which only
   * the sign is used) negated, other tensors scaled and shifted.
   */
  static Object modified(String key, Object value) {
    if (value instanceof Tensor t) {
      return switch (key) {
        case "step" -> t.add(3);
        case "prev" -> t.neg();
        default -> t.mul(1.5).add(0.25);
      };
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        out.add(modified(key, x));
      }
      return out;
    }
    return value;
  }

  private static void forEachTensor(Map<String, Object> state, java.util.function.BiConsumer<String, Tensor> check) {
    state.forEach((k, v) -> {
      if (v instanceof Tensor t) {
        check.accept(k, t);
      } else if (v instanceof List<?> l) {
        l.stream().filter(Tensor.class::isInstance).forEach(t -> check.accept(k, (Tensor) t));
      }
    });
  }

  /**
   * f(x) = sign · Σ ½ h (x − t)² over the given parameters, h and t cycling through six values; the gradient
   * sign · h (x − t) is set by hand (sparse COO over every element for SparseAdam) in each parameter's dtype.
   */
  static final class Quadratic {
    static final double[] START = {-1, 0.5, 2, 0.25, 1, -1.5};
    static final double[] TARGET = {1, -2, 0.5, 1.5, -1, 2};
    static final double[] CURVATURE = {1, 2, 0.5, 1.5, 1, 0.75};

    private final OptimizerInfo info;
    private final List<Tensor> params;
    private final double sign;

    Quadratic(OptimizerInfo info, List<Tensor> params, double sign) {
      this.info = info;
      this.params = params;
      this.sign = sign;
    }

    double value() {
      double sum = 0;
      for (Tensor p : params) {
        double[] x = p.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
          double d = x[i] - TARGET[i % 6];
          sum += 0.5 * CURVATURE[i % 6] * d * d;
        }
      }
      return sign * sum;
    }

    void setGrads() {
      for (Tensor p : params) {
        double[] x = p.toDoubleArray();
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          g[i] = sign * CURVATURE[i % 6] * (x[i] - TARGET[i % 6]);
        }
        Tensor grad = Tensor.of(g).to(p.dtype()).reshape(p.shape());
        p.setGrad(info.has(Trait.SPARSE_GRADS) ? sparse(grad) : grad);
      }
    }

    /** One step of {@code opt} on this function: through a closure when the optimizer needs one. */
    void step(Optimizer opt) {
      if (info.has(Trait.NEEDS_CLOSURE)) {
        opt.step(() -> {
          setGrads();
          return Tensor.scalar(value(), DType.FLOAT64);
        });
      } else {
        setGrads();
        opt.step();
      }
    }

    /** {@code dense} as a sparse COO tensor listing every element. */
    static Tensor sparse(Tensor dense) {
      int[] shape = dense.shape();
      int n = (int) dense.numel();
      long[] indices = new long[shape.length * n];
      for (int i = 0; i < n; i++) {
        int rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
          indices[d * n + i] = rest % shape[d];
          rest /= shape[d];
        }
      }
      return Tensor.sparseCoo(Tensor.of(indices, shape.length, n), dense.reshape(n), shape);
    }
  }

  /**
   * An optimizer with {@code stateRunOptions} over two parameters in two groups (one group for
   * GLOBAL_STATE), the second group at half the first's learning rate, after two steps on the quadratic.
   */
  static final class Run {
    final OptimizerInfo info;
    final Tensor x;
    final Tensor y;
    final Optimizer opt;
    final Quadratic f;

    Run(OptimizerInfo info, DType dtype) {
      this(info, List.of(param(dtype, 2, 3), param(dtype, 2, 3).mul(-0.5).detach().requiresGrad_(true)), true);
      step();
      step();
    }

    /** A run over copies of {@code start}; with {@code overrides} the second group sets its own lr. */
    Run(OptimizerInfo info, List<Tensor> start, boolean overrides) {
      this.info = info;
      this.x = start.get(0).detach().clone().requiresGrad_(true);
      this.y = start.get(1).detach().clone().requiresGrad_(true);
      Map<String, Object> options = info.stateRunOptions();
      if (info.has(Trait.GLOBAL_STATE)) {
        opt = create(info, List.of(x, y), options);
      } else {
        ParamGroup second = ParamGroup.of(y);
        if (overrides) {
          second.with("lr", ((Number) options.get("lr")).doubleValue() / 2);
        }
        opt = create(info, List.of(ParamGroup.of(x), second), options);
      }
      f = new Quadratic(info, List.of(x, y), 1);
    }

    void step() {
      f.step(opt);
    }

    List<Tensor> params() {
      return List.of(x, y);
    }

    /** The parameters and the state dict, exactly. */
    String snapshot() {
      return exact(List.of(x, y)) + " " + exact(opt.stateDict());
    }
  }

  /** Tolerance of a legacy case's comparisons: PyTorch's float64 rule, looser for LBFGS's reordered sums. */
  static double rtol(OptimizerInfo info) {
    return info.has(Trait.GLOBAL_STATE) ? RTOL_LBFGS : Tolerance.RTOL_FLOAT64;
  }
}
