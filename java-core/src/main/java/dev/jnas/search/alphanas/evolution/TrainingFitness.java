package dev.jnas.search.alphanas.evolution;

import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.train.OptimizerKind;
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
    private final int epochs;
    private final int batch;
    private final OptimizerKind optimizer;
    private final float learningRate;

    public TrainingFitness(Engine engine, Splits data, int epochs, int batch, OptimizerKind optimizer,
                           float learningRate) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.data = Objects.requireNonNull(data, "data");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.epochs = epochs;
        this.batch = batch;
        this.learningRate = learningRate;
        new TrainConfig(epochs, batch, optimizer, learningRate, 0); // checks the budget now, not at the first child
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
        double accuracy = new Trainer(engine, new TrainConfig(epochs, batch, optimizer, learningRate, seed))
                .train(model, data, new TrainListener() { }).last().testAccuracy();
        ProgramModel.Cost cost = model.cost(engine, train.channels(), train.height(), train.width(), train.classes());
        return Fitness.trained(accuracy, cost.parameters(), cost.macs(), (System.nanoTime() - start) / 1e9);
    }
}
