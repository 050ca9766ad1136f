-- 011: people and their roles per federation, the board's funding decisions (the coach model) with their
-- adjustments, and disbursements with their approval flow and payment batches (DOMAIN.md, Funding decisions and
-- disbursements).
--
-- The service checks every rule first to give a clear message; the triggers here are the last line, so that
-- plain SQL as the application role cannot pay twice, approve its own disbursement, skip a state or rewrite
-- the history. Errors raised here use SQLSTATE FN020…FN029.

-- People. A user is one person across federations (the economy office works in several); roles are per
-- federation. A user code is what workflow commands name (--user, FINSAM_USER) and what the logs record.
CREATE TABLE app_user (
    user_code text PRIMARY KEY CONSTRAINT app_user_code_format CHECK (user_code ~ '^[a-z0-9][a-z0-9._-]{1,39}$'),
    name text NOT NULL CONSTRAINT app_user_name_present CHECK (btrim(name) <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE user_role AS ENUM ('economy', 'director', 'chair', 'board', 'auditor', 'admin');

CREATE TABLE user_role_grant (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    user_code text NOT NULL REFERENCES app_user (user_code),
    role user_role NOT NULL,
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, user_code, role)
);

-- How an intervention is funded: a rate per FTE and half-year (coaches), a fixed sum per half-year (a
-- coordinator), or neither (NULL: bought or run by the federation, no decisions per municipality).
CREATE TYPE funding_model AS ENUM ('fte_rate', 'fixed');
ALTER TABLE intervention ADD COLUMN funding_model funding_model;

-- The federation's rules for disbursements: above the delegation limit (whole kronor, in öre) the chair
-- approves as well as the director (NULL: no limit); whether approving beyond the intervention's budget is
-- refused or only warned of; the account payments leave from (IBAN and BIC, for the pain.001 file).
ALTER TABLE federation
    ADD COLUMN delegation_limit_ore bigint
        CONSTRAINT federation_delegation_limit_whole_kronor CHECK (delegation_limit_ore >= 0 AND delegation_limit_ore % 100 = 0),
    ADD COLUMN budget_overrun_blocks boolean NOT NULL DEFAULT false,
    ADD COLUMN payer_iban text CONSTRAINT federation_payer_iban_format CHECK (payer_iban ~ '^SE[0-9]{22}$'),
    ADD COLUMN payer_bic text CONSTRAINT federation_payer_bic_format CHECK (payer_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$');

-- Where a member is paid: its bankgiro, or a Swedish bank account (clearing number, dash, account number).
ALTER TABLE member
    ADD COLUMN payout_bankgiro text CONSTRAINT member_payout_bankgiro_format CHECK (payout_bankgiro ~ '^[0-9]{3,4}-[0-9]{4}$'),
    ADD COLUMN payout_bank_account text
        CONSTRAINT member_payout_bank_account_format CHECK (payout_bank_account ~ '^[0-9]{4,5}-[0-9]{1,12}$'),
    ADD CONSTRAINT member_payout_one_account CHECK (payout_bankgiro IS NULL OR payout_bank_account IS NULL);

-- A board decision to fund an intervention at a municipality for the months first_month..last_month of one
-- half-year (normally all six). fte_rate: `fte` funded FTE (with head_count people) at `rate_ore` per FTE and
-- half-year; fixed: `rate_ore` is the sum per half-year. A decision is never changed: a later meeting's decision
-- supersedes it for the months the later one covers; two decisions of the same meeting may not cover one month.
CREATE TABLE funding_decision (
    federation_id bigint NOT NULL,
    decision_id bigint GENERATED ALWAYS AS IDENTITY,
    intervention_id bigint NOT NULL,
    member_id bigint NOT NULL,
    year int NOT NULL CONSTRAINT funding_decision_year_range CHECK (year BETWEEN 2004 AND 2200),
    half smallint NOT NULL CONSTRAINT funding_decision_half CHECK (half IN (1, 2)),
    first_month smallint NOT NULL,
    last_month smallint NOT NULL,
    model funding_model NOT NULL,
    fte numeric(6, 4) CONSTRAINT funding_decision_fte_range CHECK (fte > 0 AND fte <= 20),
    head_count int CONSTRAINT funding_decision_head_count_range CHECK (head_count BETWEEN 0 AND 200),
    rate_ore bigint NOT NULL
        CONSTRAINT funding_decision_rate_whole_kronor CHECK (rate_ore > 0 AND rate_ore % 100 = 0 AND rate_ore <= 100000000000),
    meeting_date date NOT NULL,
    paragraph text NOT NULL CONSTRAINT funding_decision_paragraph_present CHECK (btrim(paragraph) <> ''),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, decision_id),
    FOREIGN KEY (federation_id, intervention_id) REFERENCES intervention (federation_id, intervention_id),
    FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id),
    CONSTRAINT funding_decision_months_in_half CHECK (
        first_month BETWEEN half * 6 - 5 AND half * 6 AND last_month BETWEEN first_month AND half * 6),
    CONSTRAINT funding_decision_model_fields CHECK (
        (model = 'fte_rate' AND fte IS NOT NULL AND head_count IS NOT NULL)
        OR (model = 'fixed' AND fte IS NULL AND head_count IS NULL))
);

CREATE INDEX funding_decision_by_half ON funding_decision (federation_id, intervention_id, year, half, member_id);

-- A change for a range of months of one decision: another funded extent (fte_rate: `fte`, 0 when vacant) or a
-- percentage of the fixed sum (fixed: `percent`, 0 when vacant). `given_as` keeps how the board wrote it
-- (--fte, --percent of one full-time post, --vacant). Ranges of one decision do not overlap.
CREATE TYPE funding_adjustment_kind AS ENUM ('fte', 'percent', 'vacant');

CREATE TABLE funding_adjustment (
    federation_id bigint NOT NULL,
    decision_id bigint NOT NULL,
    adjustment_number smallint NOT NULL,
    first_month smallint NOT NULL,
    last_month smallint NOT NULL CONSTRAINT funding_adjustment_month_order CHECK (last_month >= first_month),
    given_as funding_adjustment_kind NOT NULL,
    fte numeric(6, 4) CONSTRAINT funding_adjustment_fte_range CHECK (fte >= 0 AND fte <= 20),
    percent numeric(7, 4) CONSTRAINT funding_adjustment_percent_range CHECK (percent >= 0 AND percent <= 100),
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, decision_id, adjustment_number),
    FOREIGN KEY (federation_id, decision_id) REFERENCES funding_decision (federation_id, decision_id),
    CONSTRAINT funding_adjustment_one_measure CHECK ((fte IS NULL) <> (percent IS NULL))
);

-- Decisions: the intervention must be funded the decision's way, the member must be a municipality, and no
-- other decision of the same meeting may cover one of its months. A lock per member and half-year serializes
-- two decisions entered at the same moment.
CREATE FUNCTION funding_decision_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    intervention_model funding_model;
    kind member_kind;
BEGIN
    SELECT funding_model INTO intervention_model FROM intervention
    WHERE federation_id = NEW.federation_id AND intervention_id = NEW.intervention_id;
    IF intervention_model IS DISTINCT FROM NEW.model THEN
        RAISE EXCEPTION 'the intervention is funded %, not %', coalesce(intervention_model::text, 'without decisions'), NEW.model
            USING ERRCODE = 'FN020', TABLE = 'funding_decision', COLUMN = 'model';
    END IF;
    SELECT m.kind INTO kind FROM member m WHERE m.federation_id = NEW.federation_id AND m.member_id = NEW.member_id;
    IF kind IS DISTINCT FROM 'municipality' THEN
        RAISE EXCEPTION 'funding decisions are for municipalities' USING ERRCODE = 'FN021', TABLE = 'funding_decision',
            COLUMN = 'member_id';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(
        format('funding_decision %s %s %s %s %s', NEW.federation_id, NEW.intervention_id, NEW.member_id, NEW.year, NEW.half), 0));
    IF EXISTS (
        SELECT 1 FROM funding_decision d
        WHERE d.federation_id = NEW.federation_id AND d.intervention_id = NEW.intervention_id
          AND d.member_id = NEW.member_id AND d.year = NEW.year AND d.half = NEW.half
          AND d.meeting_date = NEW.meeting_date
          AND d.first_month <= NEW.last_month AND NEW.first_month <= d.last_month
    ) THEN
        RAISE EXCEPTION 'another decision of the meeting on % covers the same months', NEW.meeting_date
            USING ERRCODE = 'FN022', TABLE = 'funding_decision';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER funding_decision_check BEFORE INSERT ON funding_decision
    FOR EACH ROW EXECUTE FUNCTION funding_decision_check();

-- Adjustments: within the decision's months, the measure that fits its model, no overlap with another range.
CREATE FUNCTION funding_adjustment_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    decision funding_decision%ROWTYPE;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(format('funding_adjustment %s %s', NEW.federation_id, NEW.decision_id), 0));
    SELECT * INTO decision FROM funding_decision WHERE federation_id = NEW.federation_id AND decision_id = NEW.decision_id;
    IF NEW.first_month < decision.first_month OR NEW.last_month > decision.last_month THEN
        RAISE EXCEPTION 'months %–% lie outside the decision''s months %–%', NEW.first_month, NEW.last_month,
            decision.first_month, decision.last_month USING ERRCODE = 'FN023', TABLE = 'funding_adjustment';
    END IF;
    IF (decision.model = 'fte_rate') <> (NEW.fte IS NOT NULL) THEN
        RAISE EXCEPTION 'an adjustment of a % decision gives %', decision.model,
            CASE decision.model WHEN 'fte_rate' THEN 'FTE' ELSE 'a percentage of the sum' END
            USING ERRCODE = 'FN024', TABLE = 'funding_adjustment';
    END IF;
    IF EXISTS (
        SELECT 1 FROM funding_adjustment a
        WHERE a.federation_id = NEW.federation_id AND a.decision_id = NEW.decision_id
          AND a.first_month <= NEW.last_month AND NEW.first_month <= a.last_month
    ) THEN
        RAISE EXCEPTION 'another adjustment of the decision covers some of the months %–%', NEW.first_month, NEW.last_month
            USING ERRCODE = 'FN025', TABLE = 'funding_adjustment';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER funding_adjustment_check BEFORE INSERT ON funding_adjustment
    FOR EACH ROW EXECUTE FUNCTION funding_adjustment_check();

CREATE TRIGGER funding_decision_immutable BEFORE UPDATE OR DELETE ON funding_decision
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER funding_decision_truncate BEFORE TRUNCATE ON funding_decision
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER funding_adjustment_immutable BEFORE UPDATE OR DELETE ON funding_adjustment
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER funding_adjustment_truncate BEFORE TRUNCATE ON funding_adjustment
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

-- A batch of disbursements paid together: one pain.001 file, one message id.
CREATE TABLE disbursement_batch (
    federation_id bigint NOT NULL REFERENCES federation (federation_id),
    batch_number int NOT NULL CONSTRAINT disbursement_batch_number_positive CHECK (batch_number > 0),
    paid_on date NOT NULL,
    message_id text NOT NULL,
    paid_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, batch_number),
    CONSTRAINT disbursement_batch_message_unique UNIQUE (message_id)
);

CREATE TYPE disbursement_state AS ENUM ('draft', 'submitted', 'approved', 'paid', 'returned', 'rejected');

-- A disbursement to a member under the decisions of one intervention and half-year. `amount_ore` is what this
-- disbursement pays (whole kronor; negative when a changed decision takes back what was paid), `decided_ore`
-- the half-year's decided total it was prepared from. `submission` counts submissions, so that approvals of an
-- earlier round (before a return) do not count.
CREATE TABLE disbursement (
    federation_id bigint NOT NULL,
    disbursement_id bigint GENERATED ALWAYS AS IDENTITY,
    number int NOT NULL CONSTRAINT disbursement_number_positive CHECK (number > 0),
    intervention_id bigint NOT NULL,
    member_id bigint NOT NULL,
    year int NOT NULL,
    half smallint NOT NULL CONSTRAINT disbursement_half CHECK (half IN (1, 2)),
    amount_ore bigint NOT NULL CONSTRAINT disbursement_amount_whole_kronor CHECK (amount_ore <> 0 AND amount_ore % 100 = 0),
    decided_ore bigint NOT NULL,
    state disbursement_state NOT NULL DEFAULT 'draft',
    submission smallint NOT NULL DEFAULT 0,
    prepared_by text NOT NULL,
    prepared_at timestamptz NOT NULL DEFAULT now(),
    batch_number int,
    voucher_id bigint,
    PRIMARY KEY (federation_id, disbursement_id),
    CONSTRAINT disbursement_number_unique UNIQUE (federation_id, number),
    FOREIGN KEY (federation_id, intervention_id) REFERENCES intervention (federation_id, intervention_id),
    FOREIGN KEY (federation_id, member_id) REFERENCES member (federation_id, member_id),
    FOREIGN KEY (federation_id, batch_number) REFERENCES disbursement_batch (federation_id, batch_number),
    FOREIGN KEY (federation_id, voucher_id) REFERENCES voucher (federation_id, voucher_id),
    CONSTRAINT disbursement_paid_has_voucher CHECK ((state = 'paid') = (voucher_id IS NOT NULL AND batch_number IS NOT NULL)),
    -- A voucher pays one disbursement.
    CONSTRAINT disbursement_voucher_once UNIQUE (federation_id, voucher_id)
);

-- At most one disbursement in progress (not yet approved, paid or rejected) per member and half-year.
CREATE UNIQUE INDEX disbursement_one_in_progress ON disbursement (federation_id, intervention_id, member_id, year, half)
    WHERE state IN ('draft', 'submitted', 'returned');

-- Every change of state (and every new amount of a draft), who made it and why. Never changed.
CREATE TABLE disbursement_transition (
    federation_id bigint NOT NULL,
    disbursement_id bigint NOT NULL,
    sequence smallint NOT NULL,
    from_state disbursement_state,
    to_state disbursement_state NOT NULL,
    actor text NOT NULL CONSTRAINT disbursement_transition_actor_present CHECK (btrim(actor) <> ''),
    at timestamptz NOT NULL DEFAULT now(),
    comment text,
    PRIMARY KEY (federation_id, disbursement_id, sequence),
    FOREIGN KEY (federation_id, disbursement_id) REFERENCES disbursement (federation_id, disbursement_id),
    CONSTRAINT disbursement_transition_comment_required CHECK (
        to_state NOT IN ('returned', 'rejected') OR btrim(coalesce(comment, '')) <> '')
);

-- One approval per role and submission round; one person approves once.
CREATE TABLE disbursement_approval (
    federation_id bigint NOT NULL,
    disbursement_id bigint NOT NULL,
    submission smallint NOT NULL,
    role user_role NOT NULL CONSTRAINT disbursement_approval_role CHECK (role IN ('director', 'chair')),
    approved_by text NOT NULL,
    approved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (federation_id, disbursement_id, submission, role),
    CONSTRAINT disbursement_approval_one_per_person UNIQUE (federation_id, disbursement_id, submission, approved_by),
    FOREIGN KEY (federation_id, disbursement_id) REFERENCES disbursement (federation_id, disbursement_id)
);

-- The state machine. Identity columns never change; the amount changes only while a draft or returned; the
-- edges are draft → submitted → approved → paid, submitted → returned → submitted, and rejected from draft,
-- submitted or returned. Reaching approved needs the director's approval of this round, and the chair's too
-- above the delegation limit.
CREATE FUNCTION disbursement_check_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    limit_ore bigint;
BEGIN
    IF (NEW.federation_id, NEW.disbursement_id, NEW.number, NEW.intervention_id, NEW.member_id, NEW.year, NEW.half)
        IS DISTINCT FROM (OLD.federation_id, OLD.disbursement_id, OLD.number, OLD.intervention_id, OLD.member_id, OLD.year, OLD.half)
    THEN
        RAISE EXCEPTION 'a disbursement''s member, intervention and half-year cannot change'
            USING ERRCODE = 'FN026', TABLE = 'disbursement';
    END IF;
    IF NEW.amount_ore <> OLD.amount_ore AND NOT (OLD.state IN ('draft', 'returned') AND NEW.state = OLD.state) THEN
        RAISE EXCEPTION 'the amount of a % disbursement cannot change', OLD.state
            USING ERRCODE = 'FN026', TABLE = 'disbursement', COLUMN = 'amount_ore';
    END IF;
    IF NEW.state = OLD.state THEN
        IF NEW.state NOT IN ('draft', 'returned') OR NEW.submission <> OLD.submission
            OR NEW.voucher_id IS DISTINCT FROM OLD.voucher_id THEN
            RAISE EXCEPTION 'a % disbursement cannot change', OLD.state USING ERRCODE = 'FN026', TABLE = 'disbursement';
        END IF;
        RETURN NEW;
    END IF;
    IF NOT ((OLD.state, NEW.state) IN (
        ('draft', 'submitted'), ('returned', 'submitted'), ('submitted', 'approved'), ('approved', 'paid'),
        ('submitted', 'returned'), ('draft', 'rejected'), ('submitted', 'rejected'), ('returned', 'rejected')))
    THEN
        RAISE EXCEPTION 'a disbursement cannot go from % to %', OLD.state, NEW.state
            USING ERRCODE = 'FN027', TABLE = 'disbursement', COLUMN = 'state';
    END IF;
    IF NEW.state = 'submitted' AND NEW.submission <> OLD.submission + 1 THEN
        RAISE EXCEPTION 'a submission starts a new round' USING ERRCODE = 'FN026', TABLE = 'disbursement';
    END IF;
    IF NEW.state <> 'submitted' AND NEW.submission <> OLD.submission THEN
        RAISE EXCEPTION 'only a submission starts a new round' USING ERRCODE = 'FN026', TABLE = 'disbursement';
    END IF;
    IF NEW.state = 'approved' THEN
        SELECT delegation_limit_ore INTO limit_ore FROM federation WHERE federation_id = NEW.federation_id;
        IF NOT EXISTS (
            SELECT 1 FROM disbursement_approval a WHERE a.federation_id = NEW.federation_id
              AND a.disbursement_id = NEW.disbursement_id AND a.submission = NEW.submission AND a.role = 'director'
        ) OR (abs(NEW.amount_ore) > limit_ore AND NOT EXISTS (
            SELECT 1 FROM disbursement_approval a WHERE a.federation_id = NEW.federation_id
              AND a.disbursement_id = NEW.disbursement_id AND a.submission = NEW.submission AND a.role = 'chair'
        )) THEN
            RAISE EXCEPTION 'the disbursement lacks the approvals it needs' USING ERRCODE = 'FN028', TABLE = 'disbursement';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER disbursement_check_update BEFORE UPDATE ON disbursement
    FOR EACH ROW EXECUTE FUNCTION disbursement_check_update();

CREATE FUNCTION disbursement_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state <> 'draft' OR NEW.submission <> 0 OR NEW.voucher_id IS NOT NULL OR NEW.batch_number IS NOT NULL THEN
        RAISE EXCEPTION 'a disbursement starts as a draft' USING ERRCODE = 'FN027', TABLE = 'disbursement', COLUMN = 'state';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER disbursement_check_insert BEFORE INSERT ON disbursement
    FOR EACH ROW EXECUTE FUNCTION disbursement_check_insert();

CREATE TRIGGER disbursement_no_delete BEFORE DELETE ON disbursement
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_truncate BEFORE TRUNCATE ON disbursement
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();

-- Nobody approves what they prepared or submitted, and only a submitted disbursement of this round.
CREATE FUNCTION disbursement_approval_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    d disbursement%ROWTYPE;
BEGIN
    SELECT * INTO d FROM disbursement WHERE federation_id = NEW.federation_id AND disbursement_id = NEW.disbursement_id;
    IF d.state <> 'submitted' OR d.submission <> NEW.submission THEN
        RAISE EXCEPTION 'only a submitted disbursement is approved' USING ERRCODE = 'FN027', TABLE = 'disbursement_approval';
    END IF;
    IF NEW.approved_by = d.prepared_by OR EXISTS (
        SELECT 1 FROM disbursement_transition t WHERE t.federation_id = NEW.federation_id
          AND t.disbursement_id = NEW.disbursement_id AND t.actor = NEW.approved_by
          AND (t.to_state = 'submitted' OR t.from_state IS NULL OR (t.from_state = t.to_state))
    ) THEN
        RAISE EXCEPTION 'nobody approves a disbursement they prepared or submitted'
            USING ERRCODE = 'FN029', TABLE = 'disbursement_approval', COLUMN = 'approved_by';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER disbursement_approval_check BEFORE INSERT ON disbursement_approval
    FOR EACH ROW EXECUTE FUNCTION disbursement_approval_check();

CREATE TRIGGER disbursement_transition_immutable BEFORE UPDATE OR DELETE ON disbursement_transition
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_transition_truncate BEFORE TRUNCATE ON disbursement_transition
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_approval_immutable BEFORE UPDATE OR DELETE ON disbursement_approval
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_approval_truncate BEFORE TRUNCATE ON disbursement_approval
    FOR EACH STATEMENT EXECUTE FUNCTION finsam_refuse_change();
CREATE TRIGGER disbursement_batch_immutable BEFORE UPDATE OR DELETE ON disbursement_batch
    FOR EACH ROW EXECUTE FUNCTION finsam_refuse_change();

ALTER TABLE user_role_grant ENABLE ROW LEVEL SECURITY;
ALTER TABLE funding_decision ENABLE ROW LEVEL SECURITY;
ALTER TABLE funding_adjustment ENABLE ROW LEVEL SECURITY;
ALTER TABLE disbursement_batch ENABLE ROW LEVEL SECURITY;
ALTER TABLE disbursement ENABLE ROW LEVEL SECURITY;
ALTER TABLE disbursement_transition ENABLE ROW LEVEL SECURITY;
ALTER TABLE disbursement_approval ENABLE ROW LEVEL SECURITY;

CREATE POLICY user_role_grant_scope ON user_role_grant USING (finsam_visible(federation_id));
CREATE POLICY funding_decision_scope ON funding_decision USING (finsam_visible(federation_id));
CREATE POLICY funding_adjustment_scope ON funding_adjustment USING (finsam_visible(federation_id));
CREATE POLICY disbursement_batch_scope ON disbursement_batch USING (finsam_visible(federation_id));
CREATE POLICY disbursement_scope ON disbursement USING (finsam_visible(federation_id));
CREATE POLICY disbursement_transition_scope ON disbursement_transition USING (finsam_visible(federation_id));
CREATE POLICY disbursement_approval_scope ON disbursement_approval USING (finsam_visible(federation_id));

GRANT SELECT, INSERT, UPDATE ON app_user TO finsam_app;
GRANT DELETE ON user_role_grant TO finsam_app;
GRANT SELECT, INSERT ON user_role_grant, funding_decision, funding_adjustment, disbursement_batch,
    disbursement_transition, disbursement_approval TO finsam_app;
GRANT SELECT, INSERT, UPDATE ON disbursement TO finsam_app;
