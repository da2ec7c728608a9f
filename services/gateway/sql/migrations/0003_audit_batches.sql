-- Audit entries are appended in batches (issue 8). One statement inserts every
-- entry of a batch (each still chained to the one before it) and moves the
-- head to the last one, on the condition that the head is still where the
-- writer last saw it; if another gateway replica appended meanwhile, nothing
-- is written and the writer chains the batch again on the new head. So the
-- chain cannot fork, and the head still only moves forward ...
CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.last_sequence <= OLD.last_sequence THEN
    RAISE EXCEPTION 'audit_chain_head only moves forward (% refused)', TG_OP;
  END IF;
  RETURN NEW;
END;
$$;

-- ... and, checked when the transaction commits (the entries inserted by the
-- same statement are visible by then), only to an entry that is in the log.
CREATE FUNCTION audit_chain_head_names_an_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_entries WHERE sequence = NEW.last_sequence AND hash = NEW.last_hash) THEN
    RAISE EXCEPTION 'audit_chain_head must name the last entry appended (sequence % is not in the log)',
      NEW.last_sequence;
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER audit_chain_head_names_an_entry
  AFTER UPDATE ON audit_chain_head DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_names_an_entry();
