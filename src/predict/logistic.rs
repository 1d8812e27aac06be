//! L2-regularised logistic regression on sparse binary features, fitted by L-BFGS (argmin's
//! solver; the cost and its gradient are ours). Each image is the list of its features' ids, a
//! feature present counting 1: a model, a sampler, a placeholder value, a prompt word. Dense
//! solvers (linfa-logistic) would hold a matrix of images x features, gigabytes at 100,000
//! judged images and thousands of features; here a pass over the data touches only what each
//! image has.

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;

/// How strongly weights are pulled to 0: keeps a rare word seen on three KO images from
/// getting a huge weight. Per image (the loss is a mean), so it means the same at any size.
pub const L2: f64 = 1e-3;
const MAX_ITERATIONS: u64 = 200;

/// Images as rows of feature ids, with their labels.
pub struct Samples<'a> {
    pub rows: &'a [&'a [u32]],
    pub labels: &'a [bool],
    pub features: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Model {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Model {
    /// The probability that an image with these features is positive.
    pub fn probability(&self, row: &[u32]) -> f64 {
        sigmoid(self.score(row))
    }

    fn score(&self, row: &[u32]) -> f64 {
        self.bias
            + row
                .iter()
                .filter_map(|&f| self.weights.get(f as usize))
                .sum::<f64>()
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// log(1 + e^z) without overflow.
fn softplus(z: f64) -> f64 {
    if z > 30.0 { z } else { z.exp().ln_1p() }
}

struct Problem<'a> {
    samples: &'a Samples<'a>,
    /// The line search asks for the cost and then the gradient at the same point: both come
    /// from one pass over the data, kept here for the second question.
    last: std::sync::Mutex<Option<Evaluated>>,
}

struct Evaluated {
    param: Vec<f64>,
    cost: f64,
    gradient: Vec<f64>,
}

impl Problem<'_> {
    /// The mean loss plus the penalty, and its gradient, in one pass.
    fn evaluate(&self, param: &[f64]) -> (f64, Vec<f64>) {
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(done) = last.as_ref().filter(|done| done.param == param) {
            return (done.cost, done.gradient.clone());
        }
        let features = self.samples.features;
        let (weights, bias) = param.split_at(features);
        let bias = bias.first().copied().unwrap_or_default();
        let n = self.samples.rows.len().max(1) as f64;
        let mut gradient = vec![0.0; features + 1];
        let mut loss = 0.0;
        for (row, label) in self.samples.rows.iter().zip(self.samples.labels) {
            let z = bias + row.iter().map(|&f| weights[f as usize]).sum::<f64>();
            // -log p(label): softplus(-z) for a positive, softplus(z) for a negative.
            loss += if *label { softplus(-z) } else { softplus(z) };
            let residual = (sigmoid(z) - f64::from(u8::from(*label))) / n;
            for &f in *row {
                gradient[f as usize] += residual;
            }
            gradient[features] += residual;
        }
        let mut penalty = 0.0;
        for (g, w) in gradient.iter_mut().zip(weights) {
            *g += L2 * w;
            penalty += w * w;
        }
        let cost = loss / n + penalty * L2 / 2.0;
        *last = Some(Evaluated {
            param: param.to_vec(),
            cost,
            gradient: gradient.clone(),
        });
        (cost, gradient)
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, param: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(param).0)
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, param: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(self.evaluate(param).1)
    }
}

/// Fits the model; `None` when there is nothing to learn from (no sample, or one class only).
pub fn fit(samples: &Samples<'_>) -> Result<Option<Model>, String> {
    let positives = samples.labels.iter().filter(|l| **l).count();
    if positives == 0 || positives == samples.labels.len() {
        return Ok(None);
    }
    // Starting from the base rate: the bias alone already predicts it.
    let base = positives as f64 / samples.labels.len() as f64;
    let mut start = vec![0.0; samples.features + 1];
    start[samples.features] = (base / (1.0 - base)).ln();
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7)
        .with_tolerance_grad(1e-7)
        .and_then(|s| s.with_tolerance_cost(1e-10))
        .map_err(|e| format!("the solver's settings were refused: {e}"))?;
    let problem = Problem {
        samples,
        last: std::sync::Mutex::new(None),
    };
    let result = Executor::new(problem, solver)
        .configure(|state| state.param(start).max_iters(MAX_ITERATIONS))
        .run()
        .map_err(|e| format!("the predictor could not be fitted: {e}"))?;
    let param = result
        .state()
        .get_best_param()
        .cloned()
        .ok_or("the solver gave no parameters")?;
    let (weights, bias) = param.split_at(samples.features);
    Ok(Some(Model {
        weights: weights.to_vec(),
        bias: bias.first().copied().unwrap_or_default(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feature 0 makes an image positive 80% of the time, feature 1 20%; feature 2 is noise.
    fn planted() -> (Vec<Vec<u32>>, Vec<bool>) {
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for i in 0..2000u32 {
            let strong = i % 2 == 0;
            let mut row = vec![if strong { 0 } else { 1 }];
            if i % 3 == 0 {
                row.push(2);
            }
            rows.push(row);
            labels.push(if strong { i % 10 < 8 } else { i % 10 < 2 });
        }
        (rows, labels)
    }

    #[test]
    fn the_fitted_probabilities_are_the_planted_rates() {
        let (rows, labels) = planted();
        let rows: Vec<&[u32]> = rows.iter().map(Vec::as_slice).collect();
        let model = fit(&Samples {
            rows: &rows,
            labels: &labels,
            features: 3,
        })
        .unwrap()
        .unwrap();
        let strong = model.probability(&[0]);
        let weak = model.probability(&[1]);
        assert!((strong - 0.8).abs() < 0.03, "{strong}");
        assert!((weak - 0.2).abs() < 0.03, "{weak}");
        assert!(
            model.weights[2].abs() < 0.2,
            "noise gets little weight: {model:?}"
        );
    }

    #[test]
    fn one_class_only_has_nothing_to_learn() {
        let rows: Vec<&[u32]> = vec![&[0], &[1]];
        let samples = Samples {
            rows: &rows,
            labels: &[true, true],
            features: 2,
        };
        assert_eq!(fit(&samples).unwrap(), None);
    }
}
