package dev.jnas.search.alphanas.evolution;

import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.train.TrainConfig;
import dev.jnas.train.TrainListener;
import dev.jnas.train.Trainer;
import java.util.Objects;
import java.util.Optional;

/**
 * Fitness by short training: the lowered program is trained with the native {@link Trainer} on the training
 * split and scored by its accuracy on the held-out test split. Every program gets the same budget (epochs, batch,
 * optimizer, learning rate); only the seed of weights and data order differs per evaluation.
 */
public final class TrainingFitness implements FitnessEvaluator {
    private final Engine engine;
    private final Splits data;
    private final TrainConfig budget;

    /** @param budget how every program is trained; its seed is replaced by each evaluation's */
    public TrainingFitness(Engine engine, Splits data, TrainConfig budget) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.data = Objects.requireNonNull(data, "data");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    @Override
    public FitnessKind kind() {
        return FitnessKind.TRAIN;
    }

    @Override
    public Optional<String> rejection(ProgramGraph program) {
        LabeledImages train = data.train();
        return new ProgramModel(program).rejection(train.channels(), train.height(), train.width(), train.classes());
    }

    @Override
    public Fitness evaluate(ProgramGraph program, long seed) {
        long start = System.nanoTime();
        LabeledImages train = data.train();
        ProgramModel model = new ProgramModel(program);
        TrainConfig config = new TrainConfig(budget.epochs(), budget.batchSize(), budget.optimizer(),
                budget.learningRate(), seed);
        double accuracy = new Trainer(engine, config).train(model, data, new TrainListener() { }).last().testAccuracy();
        ProgramModel.Cost cost = model.cost(engine, train.channels(), train.height(), train.width(), train.classes());
        return Fitness.trained(accuracy, cost.parameters(), cost.macs(), (System.nanoTime() - start) / 1e9);
    }
}
