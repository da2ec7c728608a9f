-- Audit entries are appended in batches (issue 8): one transaction locks the
-- chain head, inserts every entry of the batch (each still chained to the one
-- before it) and moves the head to the last. The head still only moves
-- forward, and only to an entry that is in the log.
CREATE OR REPLACE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' OR NEW.last_sequence <= OLD.last_sequence THEN
    RAISE EXCEPTION 'audit_chain_head only moves forward (% refused)', TG_OP;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_entries WHERE sequence = NEW.last_sequence AND hash = NEW.last_hash) THEN
    RAISE EXCEPTION 'audit_chain_head must name the last entry appended (sequence % is not in the log)',
      NEW.last_sequence;
  END IF;
  RETURN NEW;
END;
$$;
