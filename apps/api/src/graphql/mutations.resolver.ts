import { randomUUID } from 'node:crypto';
import { Inject, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import type { Actor, OppdragCommand } from '#domain';
import { CorrelationId, CurrentUser } from '../auth/current-user.js';
import { SignedInGuard } from '../auth/signed-in.guard.js';
import { Today } from '../infrastructure/today.js';
import { ApiError } from './errors.js';
import {
  addAddresseeCommand,
  addCollaboratorCommand,
  addMilestoneCommand,
  assignOppdragCommand,
  changeDeadlineCommand,
  changeMilestoneCommand,
  closeOppdragCommand,
  correctDetailsCommand,
  reassignLeadCommand,
  recordMilestoneCommand,
  removeAddresseeCommand,
  removeCollaboratorCommand,
  removeMilestoneCommand,
  reopenOppdragCommand,
  reportOppdragCommand,
  startOppdragCommand,
} from './input-commands.js';
import {
  AddCollaboratorInput,
  AddMilestoneInput,
  AddresseeInput,
  AssignOppdragInput,
  ChangeDeadlineInput,
  ChangeMilestoneInput,
  CloseOppdragInput,
  CorrectDetailsInput,
  ReassignLeadInput,
  RecordMilestoneInput,
  RemoveCollaboratorInput,
  RemoveMilestoneInput,
  ReopenOppdragInput,
  ReportOppdragInput,
  StartOppdragInput,
} from './inputs.js';
import { ExecuteOppdragCommand, type ExecutedCommand } from './messages.js';
import { MutationResultModel } from './models.js';
import { viewModel } from './presenters.js';

/**
 * The mutations: one per command of the domain. Each maps its input to its command (input-commands.ts)
 * and sends it on the command bus with the signed-in actor; the decider applies the role rules.
 */
@Resolver()
@UseGuards(SignedInGuard)
export class OppdragMutationsResolver {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(Today) private readonly today: Today,
  ) {}

  @Mutation(() => MutationResultModel, { description: 'Coordinator: assign a new oppdrag.' })
  assignOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AssignOppdragInput,
  ) {
    return this.send(user, correlationId, input, assignOppdragCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: "RHF: mark your own RHF's part started." })
  startOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: StartOppdragInput,
  ) {
    return this.send(user, correlationId, input, startOppdragCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: "RHF: record a milestone your own RHF's part delivered.",
  })
  recordMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RecordMilestoneInput,
  ) {
    return this.send(user, correlationId, input, recordMilestoneCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: "RHF: report your own RHF's part (starts it too if needed).",
  })
  reportOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReportOppdragInput,
  ) {
    return this.send(user, correlationId, input, reportOppdragCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description:
      "Coordinator: reopen a closed oppdrag, or a part's report (the lead's unless another part is named), with a reason.",
  })
  reopenOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReopenOppdragInput,
  ) {
    return this.send(user, correlationId, input, reopenOppdragCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: close an oppdrag (completed, withdrawn, superseded, continued).',
  })
  closeOppdrag(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: CloseOppdragInput,
  ) {
    return this.send(user, correlationId, input, closeOppdragCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: change the deadline, with a reason.' })
  changeDeadline(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ChangeDeadlineInput,
  ) {
    return this.send(user, correlationId, input, changeDeadlineCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: reassign the lead RHF, with a reason.' })
  reassignLead(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ReassignLeadInput,
  ) {
    return this.send(user, correlationId, input, reassignLeadCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: add a collaborator, with a reason.' })
  addCollaborator(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddCollaboratorInput,
  ) {
    return this.send(user, correlationId, input, addCollaboratorCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: remove a collaborator, with a reason.' })
  removeCollaborator(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RemoveCollaboratorInput,
  ) {
    return this.send(user, correlationId, input, removeCollaboratorCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description:
      'Coordinator: address the oppdrag to one more RHF (it gets a part of its own), with a reason.',
  })
  addAddressee(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddresseeInput,
  ) {
    return this.send(user, correlationId, input, addAddresseeCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: no longer address the oppdrag to an RHF (not the lead), with a reason.',
  })
  removeAddressee(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddresseeInput,
  ) {
    return this.send(user, correlationId, input, removeAddresseeCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: 'Coordinator: correct the title, description or hovedmål, with a reason.',
  })
  correctDetails(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: CorrectDetailsInput,
  ) {
    return this.send(user, correlationId, input, correctDetailsCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: add a milestone, with a reason.' })
  addMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: AddMilestoneInput,
  ) {
    return this.send(user, correlationId, input, addMilestoneCommand(input));
  }

  @Mutation(() => MutationResultModel, {
    description: "Coordinator: change a milestone's kind, title or due date, with a reason.",
  })
  changeMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: ChangeMilestoneInput,
  ) {
    return this.send(user, correlationId, input, changeMilestoneCommand(input));
  }

  @Mutation(() => MutationResultModel, { description: 'Coordinator: remove a milestone, with a reason.' })
  removeMilestone(
    @CurrentUser() user: Actor,
    @CorrelationId() correlationId: string | undefined,
    @Args('input') input: RemoveMilestoneInput,
  ) {
    return this.send(user, correlationId, input, removeMilestoneCommand(input));
  }

  private async send(
    user: Actor,
    correlationId: string | undefined,
    input: { expectedRevision?: number | null; commandId?: string | null },
    command: OppdragCommand,
  ): Promise<MutationResultModel> {
    const commandId = input.commandId ?? randomUUID();
    const result: ExecutedCommand = await this.commands.execute(
      new ExecuteOppdragCommand(
        command,
        { commandId, actor: user, correlationId: correlationId ?? commandId },
        input.expectedRevision === null || input.expectedRevision === undefined
          ? {}
          : { expectedRevision: input.expectedRevision },
      ),
    );
    if (!result.view)
      throw new ApiError('INTERNAL_SERVER_ERROR', 'the read model did not include the command');
    return {
      oppdrag: viewModel(result.view, this.today.date()),
      revision: result.revision,
      events: result.events.map((e) => e.type),
      duplicate: result.duplicate,
    };
  }
}
