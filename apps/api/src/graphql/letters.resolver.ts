import { randomUUID } from 'node:crypto';
import { Inject, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Field, Float, ID, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { Actor } from '#domain';
import {
  LetterError,
  mergeLetters,
  parseLetter,
  readPdfText,
  toAssignData,
  type ImportPlan,
  type PlannedOppdrag,
} from '#letters';
import { OppdragQueries } from '#projections';
import { CorrelationId, CurrentUser, requireRole } from '../auth/current-user.js';
import { SignedInGuard } from '../auth/signed-in.guard.js';

import { ApiError } from './errors.js';
import { eachValidated } from './list-validation.js';
import { AssignPlannedCommand } from './messages.js';
import { MilestoneModel, OrganisationModel, SourceReferenceModel } from './models.js';
import { organisationModel, sourceModel } from './presenters.js';
import { Turns } from './turns.js';

@InputType({ description: 'A letter: its plain text, or its PDF file in base64 (give one of the two).' })
export class LetterInput {
  @Field(() => String, { nullable: true, description: 'The letter as plain text.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000_000)
  text?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The letter as a PDF file, base64-encoded; its text layer is read (a scanned PDF is refused).',
  })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(4_000_000)
  @Matches(/^[A-Za-z0-9+/=\s]+$/, { message: '$property must be base64' })
  pdfBase64?: string | null;
  @Field(() => String, { nullable: true, description: 'The file name, used in source references.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[^/\\]+$/, { message: '$property must be a file name without folders' })
  fileName?: string | null;
}

@ObjectType('DateEvidence')
class DateEvidenceModel {
  @Field(() => String, { nullable: true }) date!: string | null;
  @Field() kind!: string;
  @Field() phrase!: string;
  @Field(() => String, { nullable: true }) convention!: string | null;
}

@ObjectType('ProposedOppdrag', {
  description: 'An oppdrag read from a letter, with the evidence for each field.',
})
class ProposedOppdragModel {
  @Field(() => ID) oppdragId!: string;
  @Field(() => Int) year!: number;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => Int, { nullable: true }) hovedmalNumber!: number | null;
  @Field(() => String, { nullable: true }) hovedmalTitle!: string | null;
  @Field(() => OrganisationModel, { nullable: true }) lead!: OrganisationModel | null;
  @Field() addressedTo!: string;
  @Field(() => [OrganisationModel]) collaborators!: OrganisationModel[];
  @Field(() => String, { nullable: true }) deadline!: string | null;
  @Field(() => [MilestoneModel]) milestones!: MilestoneModel[];
  @Field(() => [SourceReferenceModel]) sources!: SourceReferenceModel[];
  @Field(() => Float) confidence!: number;
  @Field(() => String, { nullable: true, description: 'The phrase that names the lead.' }) leadEvidence!:
    string | null;
  @Field(() => [DateEvidenceModel]) dateEvidence!: DateEvidenceModel[];
  @Field({ description: 'An oppdrag with this id is already assigned: committing leaves it unchanged.' })
  alreadyAssigned!: boolean;
  @Field(() => [String], {
    description:
      'Already assigned from other letters: the letters of this proposal that committing adds as sources (each recipient becomes an addressee).',
  })
  addsSources!: string[];
}

@ObjectType('LetterSummary')
class LetterSummaryModel {
  @Field() letter!: string;
  @Field(() => String, { nullable: true }) recipient!: string | null;
  @Field(() => Int) year!: number;
  @Field() kind!: string;
  @Field(() => String, { nullable: true }) date!: string | null;
  @Field(() => Int) oppdrag!: number;
}

@ObjectType('LetterPreview')
class LetterPreviewModel {
  @Field(() => [LetterSummaryModel]) letters!: LetterSummaryModel[];
  @Field(() => [ProposedOppdragModel]) oppdrag!: ProposedOppdragModel[];
  @Field(() => [String]) warnings!: string[];
}

@ObjectType('ImportRefusal')
class ImportRefusalModel {
  @Field(() => ID) oppdragId!: string;
  @Field() code!: string;
  @Field() message!: string;
}

@ObjectType('LetterImportResult')
class LetterImportResultModel {
  @Field(() => [ID]) assigned!: string[];
  @Field(() => [ID], { description: 'Already assigned with every source: nothing was written.' })
  unchanged!: string[];
  @Field(() => [ID], { description: 'Already assigned: the new letters were added as sources.' })
  sourcesAdded!: string[];
  @Field(() => [ImportRefusalModel]) refused!: ImportRefusalModel[];
}

/** Coordinators load a year's oppdrag by handing over the letters: preview first, then commit. */
@Resolver()
@UseGuards(SignedInGuard)
export class LettersResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(OppdragQueries) private readonly oppdrag: OppdragQueries,
    @Inject(Turns) private readonly turns: Turns,
  ) {}

  @Mutation(() => LetterPreviewModel, {
    description: 'Coordinator: read letters and propose their oppdrag. Writes nothing.',
  })
  async previewLetter(
    @CurrentUser() user: Actor,
    @Args('letters', { type: () => [LetterInput] }, eachValidated(LetterInput, 'letters'))
    letters: LetterInput[],
  ): Promise<LetterPreviewModel> {
    const plan = await this.plan(letters);
    return {
      letters: plan.letters.map((l) => ({
        letter: l.letter,
        recipient: l.recipient,
        year: l.year,
        kind: l.kind,
        date: l.date,
        oppdrag: l.oppdrag,
      })),
      oppdrag: plan.oppdrag.map((p) => this.proposed(p)),
      warnings: [...plan.warnings],
    };
  }

  @Mutation(() => LetterImportResultModel, {
    description:
      'Coordinator: assign the oppdrag a preview of the same letters proposed (all, or those named). Importing again changes nothing.',
  })
  async commitLetterImport(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('letters', { type: () => [LetterInput] }, eachValidated(LetterInput, 'letters'))
    letters: LetterInput[],
    @Args('oppdragIds', { type: () => [ID], nullable: true }) oppdragIds: string[] | null,
  ): Promise<LetterImportResultModel> {
    requireRole(user, ['coordinator'], 'import letters');
    const plan = await this.plan(letters);
    let chosen = plan.oppdrag;
    if (oppdragIds) {
      const known = new Set(plan.oppdrag.map((p) => p.oppdragId));
      const unknown = oppdragIds.filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new ApiError(
          'BAD_USER_INPUT',
          `oppdragIds: ${unknown.join(', ')} are not in the preview of these letters`,
          'oppdragIds',
        );
      chosen = plan.oppdrag.filter((p) => oppdragIds.includes(p.oppdragId));
    }
    const outcome = await this.commands.execute(
      new AssignPlannedCommand(chosen.map(toAssignData), user, correlationId ?? randomUUID()),
    );
    return {
      assigned: [...outcome.assigned],
      unchanged: [...outcome.unchanged],
      sourcesAdded: [...new Set(outcome.sourcesAdded.map((s) => s.oppdragId))],
      refused: outcome.refused.map((r) => ({ ...r })),
    };
  }

  /** The sources of a proposal that its oppdrag, if already assigned, does not have yet. */
  private newSources(p: PlannedOppdrag): string[] {
    const existing = this.oppdrag.byId(p.oppdragId);
    if (!existing) return [];
    const known = existing.oppdrag.sources;
    return p.sources
      .filter((s) => !known.some((k) => k.letter === s.letter && k.lineStart === s.lineStart))
      .map((s) => s.letter);
  }

  /** Reads each letter (text, or the text layer of a PDF) in a turn of its own, then merges them. */
  private async plan(letters: LetterInput[]): Promise<ImportPlan> {
    if (letters.length === 0 || letters.length > 20)
      throw new ApiError('BAD_USER_INPUT', 'letters: give from 1 to 20 letters', 'letters');
    if (letters.some((l) => (l.text == null) === (l.pdfBase64 == null)))
      throw new ApiError(
        'BAD_USER_INPUT',
        'letters: give each letter as text or as pdfBase64, not both',
        'letters',
      );
    try {
      const parsed = [];
      for (const l of letters) {
        const text =
          l.text ?? (await readPdfText(Buffer.from(l.pdfBase64 ?? '', 'base64'), l.fileName ?? null));
        parsed.push(
          await this.turns.run(() => parseLetter(text, l.fileName ? { fileName: l.fileName } : {})),
        );
      }
      return mergeLetters(parsed);
    } catch (error) {
      if (error instanceof LetterError)
        throw new ApiError('BAD_USER_INPUT', `letters: ${error.message}`, 'letters');
      throw error;
    }
  }

  private proposed(p: PlannedOppdrag): ProposedOppdragModel {
    return {
      oppdragId: p.oppdragId,
      year: p.year,
      title: p.title,
      description: p.description,
      hovedmalNumber: p.hovedmal?.number ?? null,
      hovedmalTitle: p.hovedmal?.title ?? null,
      lead: p.lead ? organisationModel(p.lead) : null,
      addressedTo: p.evidence.addressedTo,
      collaborators: p.collaborators.map(organisationModel),
      deadline: p.deadline,
      milestones: p.milestones.map((m) => ({
        ...m,
        reportedOn: null,
        documentRef: null,
        late: false,
        overdue: false,
        reports: [],
      })),
      sources: p.sources.map(sourceModel),
      confidence: p.confidence,
      leadEvidence: p.evidence.lead,
      dateEvidence: p.evidence.dates.map((d) => ({
        date: d.date,
        kind: d.kind,
        phrase: d.phrase,
        convention: d.convention,
      })),
      alreadyAssigned: this.oppdrag.byId(p.oppdragId) !== undefined,
      addsSources: this.newSources(p),
    };
  }
}
