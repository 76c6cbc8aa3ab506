import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  isCalendarDate,
  nearestOrganisations,
  organisationById,
  resolveOrganisation,
  RHF_IDS,
} from '#domain';
import { CloseOutcomeGql, OppdragStatusGql } from './models.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,79}$/;
const ID_RULE = { message: '$property must be lower-case letters, digits and dashes (at most 80)' };

/** A calendar date `YYYY-MM-DD` that names a real day. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => isCalendarDate(value),
        defaultMessage: () => '$property must be a calendar date YYYY-MM-DD',
      },
    },
    options,
  );
}

const RHF_LIST = RHF_IDS.map((id) => `${id} (${organisationById(id)?.name ?? id})`).join(', ');

/** An RHF by id, name or alias ("helse-vest", "Helse Vest", "HMN"); the error lists the four. */
function IsRhfNameOrId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRhfNameOrId',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 200 && resolveOrganisation(value)?.kind === 'rhf',
        defaultMessage: () =>
          `$property must be one of the four RHF ids, or an RHF's name or alias: ${RHF_LIST}`,
      },
    },
    options,
  );
}

/**
 * An organisation by id, name or alias ("folkehelseinstituttet", "FHI"); a name the registry does not
 * know is taken as a new organisation's name, unless it is a misspelling of one it knows.
 */
function IsOrganisationNameOrId(options?: ValidationOptions): PropertyDecorator {
  const nearest = (value: unknown): string[] =>
    typeof value === 'string' && !resolveOrganisation(value)
      ? nearestOrganisations(value).map((o) => `${o.shortName} (${o.id})`)
      : [];
  return ValidateBy(
    {
      name: 'isOrganisationNameOrId',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.trim().length > 0 &&
          value.length <= 200 &&
          nearest(value).length === 0,
        defaultMessage: (args) => {
          const near = nearest(args?.value);
          const what = `$property: no organisation is called ${JSON.stringify(String(args?.value ?? ''))}`;
          const hint =
            'give an id, a name or an alias from the registry (organisations), e.g. FHI, Helsedirektoratet';
          return near.length > 0
            ? `${what}; did you mean ${near.join(' or ')}? Or ${hint}`
            : `${what}: ${hint}`;
        },
      },
    },
    options,
  );
}

@InputType()
export class OppdragFilterInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number | null;
  @Field(() => String, { nullable: true, description: 'An RHF: its id, name or an alias ("Helse Vest").' })
  @IsOptional()
  @IsRhfNameOrId()
  lead?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Only oppdrag without a lead (all RHFs, each for itself).',
  })
  @IsOptional()
  @IsBoolean()
  withoutLead?: boolean | null;
  @Field(() => String, {
    nullable: true,
    description: 'An organisation: its id, name or an alias ("FHI").',
  })
  @IsOptional()
  @IsOrganisationNameOrId()
  collaborator?: string | null;
  @Field(() => [OppdragStatusGql], { nullable: true })
  @IsOptional()
  @IsEnum(OppdragStatusGql, { each: true })
  @ArrayMaxSize(4)
  status?: OppdragStatusGql[] | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(99) hovedmal?: number | null;
  @Field(() => String, { nullable: true, description: 'Overdue on this calendar date.' })
  @IsOptional()
  @IsCalendarDate()
  overdueOn?: string | null;
  @Field(() => Int, { nullable: true, description: 'Open and due within this many days from today.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3660)
  dueWithinDays?: number | null;
  @Field(() => String, { nullable: true, description: 'Free text over id, title and description.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string | null;
}

@InputType()
export class AuditFilterInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) actorUserId?:
    string | null;
  @Field(() => String, {
    nullable: true,
    description: 'The acting organisation: its id, name or an alias ("Helse Nord", "HOD").',
  })
  @IsOptional()
  @IsOrganisationNameOrId()
  organisationId?: string | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(/^[A-Z][A-Za-z]{0,99}$/, { each: true, message: '$property must be event type names' })
  types?: string[] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(ID_PATTERN, ID_RULE) oppdragId?:
    string | null;
  @Field(() => String, { nullable: true, description: 'ISO instant, inclusive.' })
  @IsOptional()
  @IsISO8601()
  from?: string | null;
  @Field(() => String, { nullable: true, description: 'ISO instant, inclusive.' })
  @IsOptional()
  @IsISO8601()
  to?: string | null;
}

@InputType({ isAbstract: true })
abstract class CommandInput {
  @Field(() => ID) @Matches(ID_PATTERN, ID_RULE) oppdragId!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'The revision you last saw; a stale one is refused with CONFLICT.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number | null;
  @Field(() => String, {
    nullable: true,
    description: 'A UUID; retrying with the same one writes nothing twice.',
  })
  @IsOptional()
  @IsUUID()
  commandId?: string | null;
}

@InputType()
export class MilestoneInput {
  @Field()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, {
    message: '$property must be lower-case letters, digits and dashes (at most 40)',
  })
  id!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(60) kind!: string;
  @Field() @IsString() @MaxLength(300) title!: string;
  @Field() @IsCalendarDate() dueDate!: string;
}

@InputType()
export class SourceInput {
  @Field() @IsString() @MinLength(1) @MaxLength(300) letter!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(ID_PATTERN, ID_RULE) recipient?:
    string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(['hoveddokument', 'tilleggsdokument', 'other'])
  letterKind?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(99) sectionNumber?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(300) sectionTitle?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(300) heading?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) lineStart?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) lineEnd?: number | null;
}

@InputType()
export class AssignOppdragInput extends CommandInput {
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year!: number;
  @Field() @IsString() @MinLength(1) @MaxLength(300) title!: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(20_000) description!: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(99) hovedmalNumber?:
    number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(300) hovedmalTitle?:
    string | null;
  @Field(() => String, { nullable: true, description: 'An RHF id, or null for all RHFs, each for itself.' })
  @IsOptional()
  @IsIn([...RHF_IDS], { message: '$property must be one of the four RHF ids' })
  lead?: string | null;
  @Field(() => [String], {
    defaultValue: [],
    description: 'Organisation ids or names; aliases such as FHI resolve.',
  })
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  @ArrayMaxSize(50)
  collaborators!: string[];
  @Field(() => String, { nullable: true }) @IsOptional() @IsCalendarDate() deadline?: string | null;
  @Field(() => [MilestoneInput], { defaultValue: [] })
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  @ArrayMaxSize(50)
  milestones!: MilestoneInput[];
  @Field(() => [SourceInput], { defaultValue: [] })
  @ValidateNested({ each: true })
  @Type(() => SourceInput)
  @ArrayMaxSize(20)
  sources!: SourceInput[];
  @Field(() => [String], {
    nullable: true,
    description:
      'The RHFs that must do and report it (RHF ids). Default: the lead, or all four with no lead.',
  })
  @IsOptional()
  @IsIn([...RHF_IDS], { each: true, message: '$property must list RHF ids only' })
  @ArrayMaxSize(4)
  addressees?: string[] | null;
  @Field(() => String, { nullable: true, description: 'The day it was assigned (default today).' })
  @IsOptional()
  @IsCalendarDate()
  assignedOn?: string | null;
  @Field(() => Boolean, { nullable: true, description: "A deadline before the letter's year is meant." })
  @IsOptional()
  @IsBoolean()
  confirmPastDeadline?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'A collaborator the registry does not know is a new organisation, not a misspelling.',
  })
  @IsOptional()
  @IsBoolean()
  registerNewOrganisation?: boolean | null;
}

@InputType({ isAbstract: true })
abstract class PartCommandInput extends CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'The part (an RHF id); default and only allowed value: your own RHF.',
  })
  @IsOptional()
  @IsIn([...RHF_IDS], { message: '$property must be one of the four RHF ids' })
  part?: string | null;
}

@InputType()
export class StartOppdragInput extends PartCommandInput {
  @Field({ description: 'The day the work started.' }) @IsCalendarDate() startedOn!: string;
}

@InputType()
export class RecordMilestoneInput extends PartCommandInput {
  @Field()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: '$property must name a milestone id' })
  milestoneId!: string;
  @Field({ description: 'The day the milestone was delivered.' }) @IsCalendarDate() reportedOn!: string;
  @Field({ description: 'A reference to the delivered document.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  documentRef!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000) note?: string | null;
}

@InputType()
export class ReportOppdragInput extends PartCommandInput {
  @Field({ description: 'The day the report was delivered.' }) @IsCalendarDate() reportedOn!: string;
  @Field({ description: 'A reference to the delivered report.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  documentRef!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(4000) summary?: string | null;
}

@InputType()
export class ReopenOppdragInput extends CommandInput {
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @Field(() => String, {
    nullable: true,
    description:
      "The part whose report to reopen (default the lead's); leave out to reopen a closed oppdrag.",
  })
  @IsOptional()
  @IsIn([...RHF_IDS], { message: '$property must be one of the four RHF ids' })
  part?: string | null;
}

@InputType()
export class CloseOppdragInput extends CommandInput {
  @Field(() => CloseOutcomeGql) @IsEnum(CloseOutcomeGql) outcome!: CloseOutcomeGql;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(2000) reason?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(ID_PATTERN, ID_RULE) supersededBy?:
    string | null;
}

@InputType()
export class ChangeDeadlineInput extends CommandInput {
  @Field(() => String, {
    nullable: true,
    description: 'The new deadline, or null to fall back to Årlig melding.',
  })
  @IsOptional()
  @IsCalendarDate()
  deadline?: string | null;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @Field(() => Boolean, { nullable: true, description: "A deadline before the letter's year is meant." })
  @IsOptional()
  @IsBoolean()
  confirmPastDeadline?: boolean | null;
}

@InputType()
export class ReassignLeadInput extends CommandInput {
  @Field(() => String, { nullable: true, description: 'An RHF id, or null for all RHFs, each for itself.' })
  @IsOptional()
  @IsIn([...RHF_IDS], { message: '$property must be one of the four RHF ids' })
  lead?: string | null;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

@InputType()
export class AddCollaboratorInput extends CommandInput {
  @Field({ description: 'An organisation id or name; aliases such as FHI resolve.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  collaborator!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @Field(() => Boolean, {
    nullable: true,
    description: 'The registry does not know it: register it as a new organisation.',
  })
  @IsOptional()
  @IsBoolean()
  registerNewOrganisation?: boolean | null;
}

@InputType()
export class RemoveCollaboratorInput extends CommandInput {
  @Field() @Matches(ID_PATTERN, ID_RULE) collaboratorId!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

@InputType()
export class AddresseeInput extends CommandInput {
  @Field({ description: 'An RHF id.' })
  @IsIn([...RHF_IDS], { message: '$property must be one of the four RHF ids' })
  addressee!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

@InputType()
export class CorrectDetailsInput extends CommandInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) title?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(20_000) description?:
    string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(99) hovedmalNumber?:
    number | null;
  @Field(() => String, { nullable: true, description: "The hovedmål's title; with it, the hovedmål is set." })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  hovedmalTitle?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Remove the hovedmål.' })
  @IsOptional()
  @IsBoolean()
  clearHovedmal?: boolean | null;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}

@InputType()
export class AddMilestoneInput extends CommandInput {
  @Field(() => MilestoneInput) @ValidateNested() @Type(() => MilestoneInput) milestone!: MilestoneInput;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() confirmPastDeadline?: boolean | null;
}

@InputType()
export class ChangeMilestoneInput extends CommandInput {
  @Field()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: '$property must name a milestone id' })
  milestoneId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(60) kind?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(300) title?:
    string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsCalendarDate() dueDate?: string | null;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() confirmPastDeadline?: boolean | null;
}

@InputType()
export class RemoveMilestoneInput extends CommandInput {
  @Field()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: '$property must name a milestone id' })
  milestoneId!: string;
  @Field() @IsString() @MinLength(1) @MaxLength(2000) reason!: string;
}
