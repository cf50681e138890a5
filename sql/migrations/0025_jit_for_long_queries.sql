-- PostgreSQL compiles a query with JIT once the planner's cost estimate passes 100,000, a figure
-- that index-driven queries over a grown archive pass without running long: at 5,000,000
-- articles example 09 ran in 80 ms and spent 100 more compiling (psql, analysts' tools and the
-- dashboard's readers connect with the defaults; the daemon's own connections turn JIT off).
-- For this database, JIT starts at ten times the cost, where a query reads millions of rows (a
-- sequential scan of 5,000,000 articles is costed at 1,090,000), and optimizes and inlines only
-- past fifty times.
-- A role that does not own the database cannot change its settings; the defaults stay, with a
-- notice (an administrator can run the same ALTER DATABASE).
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit_above_cost = 1000000', current_database());
    EXECUTE format('ALTER DATABASE %I SET jit_optimize_above_cost = 5000000', current_database());
    EXECUTE format('ALTER DATABASE %I SET jit_inline_above_cost = 5000000', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'JIT thresholds left at PostgreSQL''s defaults: % does not own database %',
        current_user, current_database();
END
$$;
