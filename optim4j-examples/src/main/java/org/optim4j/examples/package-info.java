/**
 * The seed programs (../shared/reference/seeds) as runnable classes, each a line-by-line port of its
 * notebook or slides: {@link org.optim4j.examples.LinearRegression} (gradient descent by hand) and {@link
 * org.optim4j.examples.LinearRegressionSGD} (with {@code optim.SGD}); the lab's MLP ({@link
 * org.optim4j.examples.Mlp}) with {@link org.optim4j.examples.OptimizerTour} (SGD with momentum, RMSprop,
 * Adam), {@link org.optim4j.examples.PerLayerGroups}, {@link org.optim4j.examples.MultiStepLRRun} and the
 * custom {@link org.optim4j.examples.SgdAlternate} ({@link org.optim4j.examples.CustomOptimizer}); the
 * lecture's CNN ({@link org.optim4j.examples.Net}, {@link org.optim4j.examples.CnnTraining}); and the
 * notebook's {@link org.optim4j.examples.ParamListModule} with Adam ({@link
 * org.optim4j.examples.ParameterListAdam}), LBFGS and a closure ({@link org.optim4j.examples.LbfgsClosure})
 * and {@code LambdaLR} ({@link org.optim4j.examples.LambdaLRExample}). {@link
 * org.optim4j.examples.SeedTraining} holds the lab's {@code train_model}/{@code test_model} helpers.
 *
 * <p>Role: show the library used as the seeds use PyTorch. Depends on the library modules (tensor, nn,
 * data, optim); no library module depends on it.
 */
package org.optim4j.examples;
