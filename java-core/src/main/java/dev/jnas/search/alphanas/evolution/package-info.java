/**
 * αNAS's evolutionary search over program graphs.
 *
 * <p>{@link dev.jnas.search.alphanas.evolution.Evolution} runs the steady-state loop: the seed model twice, then
 * per generation a parent from {@link dev.jnas.search.alphanas.evolution.ParentSelection} (minimum accuracy,
 * optional {@link dev.jnas.search.alphanas.evolution.Aging}, quality alone or
 * {@link dev.jnas.search.alphanas.evolution.ParetoWeights} against parameters or MACs, optionally
 * {@link dev.jnas.search.alphanas.evolution.TargetedEvolution targeted} past the seed model), a child
 * from a {@link dev.jnas.search.alphanas.evolution.ChildProposer} (αNAS's property-guided mutator, or the plain
 * {@link dev.jnas.search.alphanas.evolution.ChannelScalingProposer}), and its
 * {@link dev.jnas.search.alphanas.evolution.Fitness} from a
 * {@link dev.jnas.search.alphanas.evolution.FitnessEvaluator}: short training
 * ({@link dev.jnas.search.alphanas.evolution.TrainingFitness}) or κ, linear regions and NASWOT at initialization
 * ({@link dev.jnas.search.alphanas.evolution.TrainingFreeFitness}), turned into one quality by
 * {@link dev.jnas.search.alphanas.evolution.FitnessKind}. Every {@link dev.jnas.search.alphanas.evolution.Individual}
 * goes to an {@link dev.jnas.search.alphanas.evolution.IndividualLog} (the SQLite store) at once, so a killed run
 * resumes; {@link dev.jnas.search.alphanas.evolution.ParetoFront} gives the final fronts.
 */
package dev.jnas.search.alphanas.evolution;
