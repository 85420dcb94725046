/// Namespace for the Planner module.
public enum PlannerModule {}
