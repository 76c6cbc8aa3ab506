/**
 * Short made-up letters in the layouts the real letters use. They are written for the tests: the wording
 * follows the letters' conventions, the tasks are invented.
 */

/** 1-based number of the first line of `text` that contains `marker`. */
export function lineOf(text: string, marker: string, from = 1): number {
  const lines = text.split('\n');
  for (let i = from - 1; i < lines.length; i++) {
    if (lines[i]?.includes(marker)) return i + 1;
  }
  throw new Error(`marker not found: ${marker}`);
}

/** A markdown-like bokmål main letter (as converted from Word): "- " bullets, " - " sub-bullets. */
export const MARKDOWN_LETTER = `Oppdragsdokument 2024

Helse Vest RHF

16. JANUAR 2024

Overordnede føringer

Regjeringens overordnede mål for helse- og omsorgspolitikken er:

- God helse og mestring i befolkningen
- Bærekraftig og rettferdig ressursbruk

Helse Vest RHF skal innrette sin virksomhet med sikte på å nå følgende hovedmål:

1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling
2. Rask tilgang til helsetjenester og sammenhengende pasientforløp

Helse Vest RHF skal sørge for et systematisk arbeid med kvalitetsforbedring. Helse Vest RHF skal bidra til at pasienter tilbys samtidige helse- og arbeidsrettede tilbud i et samarbeid med Nav, for å bli inkludert i arbeidslivet.

1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling

Mennesker med psykiske lidelser skal ha tilgjengelig hjelp. De regionale helseforetakene skal følge opp sine planer.

Mål 2024:

Kvalitative:

- Styrke psykisk helsevern slik at pasientene får rask tilgang til behandling.

Indikatorer:

- Døgnkapasiteten i psykisk helsevern skal være høyere i 2024 sammenliknet med 2023¹.
- Helse Vest RHF skal redusere ventetiden innen 1. desember 2024.

Oppdrag 2024:

- De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, pilotere brukerstyrt poliklinikk i psykisk helsevern. Det vises til opptrappingsplanen.
- Helse Vest RHF skal avklare hvordan rusbehandling til barn skal tilbys, jf. Helsedirektoratets utredning. Rapport skal sendes Helse- og omsorgsdepartementet innen 30. november 2024.

¹ Det innebærer en nominell vekst på minst 5,5 pst.

- De regionale helseforetakene skal følge opp anbefalingene fra Helsedirektoratets rapport om følgetjenesten. De regionale helseforetakene skal:
 - Gjennomføre en nasjonal evaluering av følgetjenesten. Helse Midt-Norge RHF leder arbeidet.
 - I samarbeid med helseforetak og kommuner vurdere forbedringstiltak.

2. Rask tilgang til helsetjenester og sammenhengende pasientforløp

Pasienter skal oppleve å få riktig behandling i rett tid.

Oppdrag 2024:

- De regionale helseforetakene skal gjennomgå sine rutiner for å unngå fristbrudd. I arbeidet bør det ses på praksis i dag og hvordan best praksis bør være

for å unngå fristbrudd. Arbeidet ledes av Helse Nord RHF.

Helsedirektoratets rapport om fristbruddordningen (Gjennomgang av Fristbrudd 7.12.2023) synliggjør ulik praksis.

- De regionale helseforetakene skal under ledelse av Helse Vest RHF samarbeide om oppfølging av rammeverk for pasientsikkerhet. Frist for oppdraget er 1. juni 2025.

Oppfølging og rapportering

I Årlig melding 2024 skal Helse Vest RHF rapportere på alle Mål 2024 og Oppdrag 2024. Frist for innsendelse av styrets årlige melding er 15. mars 2025.

Bergen, 16. januar 2024

Vedlegg 1. Tildeling av midler

Helse Vest RHF skal i 2024 basere sin virksomhet på tildelte midler i tabell 1. Helse Vest RHF skal i samarbeid med Helsedirektoratet sende inn budsjett innen 1. februar 2024.

Kap	Post	Betegnelse	Midler
732	70	Tilskudd til turnustjeneste	8 236 000
`;

/** The same letter again, "Oppdatert", with a corrected word: a conversion artefact seen in real files. */
export const REPEATED_COPY = MARKDOWN_LETTER.replace('16. JANUAR 2024', 'Oppdatert 24. januar 2024').replace(
  'pilotere brukerstyrt poliklinikk',
  'pilotere og evaluere brukerstyrt poliklinikk',
);

/** A supplementary letter sent to all four RHFs. */
export const SUPPLEMENT = `Ifølge liste

Deres ref

Vår ref

Dato

23/3356-

3. juli 2024

Oppdragsdokument 2024 - Tilleggsdokument etter Stortingets behandling av Prop. 104 S (2023-2024)

Det vises til oppdragsdokument 2024 til de regionale helseforetakene av 24. januar 2024.

1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling

Oppdrag 2024:

- De regionale helseforetakene skal innen rusfeltet *utvikle en tjeneste med integrert ettervern, i samarbeid med kommunene*. Arbeidet ledes av Helse Sør-Øst RHF.

Det skal legges til rette for følgeforskning.

- De regionale helseforetakene skal utrede en ordning for individuell tilgang til metoder. De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF og i samarbeid med Direktoratet for medisinske produkter:
 - Utrede etablering av en ordning for klinisk eksepsjonelle pasienter.
 - Utrede et nasjonalt system for registrering.

Oppdraget konkretiseres nærmere i dialog med departementet. Det skal leveres en statusrapport for oppdraget innen 1. oktober.

Med hilsen

Jan Christian Vestre

Adresseliste

Helse Midt-Norge RHF	Postboks 464	7501	STJØRDAL
Helse Nord RHF	Postboks 1445	8038	BODØ
Helse Sør-Øst RHF	Postboks 404	2303	HAMAR
Helse Vest RHF	Postboks 303 Forus	4066	STAVANGER

Vedlegg 1 – tildeling av midler

De regionale helseforetakene skal rapportere på status for tiltak i oppfølgingsmøtet i november.
`;

/** A PDF extraction: "•" bullets, "o" sub-bullets, lines wrapped mid-sentence, blank lines inside bullets,
 * page numbers, footnote digits glued to words, sub-headings such as "Utredningsoppdrag:". */
export const PDF_LETTER = ` Overordnede føringer 

Helse Nord RHF har ansvar for at befolkningen i regionen får tilgang til spesialisthelsetjenester. 
Helse Nord RHF skal innrette sin virksomhet med sikte på å nå følgende hovedmål: 

1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling 
2. Styrke forskning, innovasjon og kompetanse og forbedre kvalitet og pasientsikkerhet 

 1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling 
Psykisk helse er like viktig som fysisk helse. De regionale helseforetakene skal bidra til at mennesker 
med psykiske lidelser får gode tjenester. 

Mål 2023: 
Indikatorer: 
• Antall pasienter med vedtak om tvangsmidler i psykisk helsevern for 

voksne skal reduseres. 
Oppdrag 2023: 
Utredningsoppdrag: 

• De regionale helseforetakene skal i samarbeid, og under ledelse av Helse Vest RHF, gjennomgå 
rapporteringskrav i psykisk helsevern og TSB. Det bes om forslag til endringer i rapporterings-
krav og forslag til tiltak. 







6 


2. Styrke forskning, innovasjon og kompetanse og forbedre kvalitet og pasientsikkerhet 
Norsk helsetjeneste skal være preget av åpenhet og tillit. 

Oppdrag 2023: 

• Helse Nord RHF skal gjennomgå finansieringen av fødselsomsorgen i egne helseforetak, og vurdere 
tiltak2. Helse Nord RHF skal oppsummere vurderinger og tiltak til departementet innen 15. oktober 
2023. 

• De regionale helseforetakene skal i fellesskap iverksette tiltak for å redusere uberettiget variasjon. Herunder : 
o under ledelse av Helse Nord RHF, implementere ordninger for revurdering og utfasing av 

behandlingsmetoder. 
 o under ledelse av Helse Sør-Øst RHF vurdere metodebruk innen rehabiliteringsområdet. SKDE bør 
involveres i arbeidet. Det bes om en kortfattet rapportering på dette punktet innen 1. mai 2023. 

 
Oppfølging og rapportering 
Departementet vil følge opp mål og oppgaver. Frist for innsendelse av styrets årlige melding er 15. mars 2024. 

Tromsø, 17. januar 2023 

2 Fødselsomsorgen omfatter også barselomsorgen. 
 Vedlegg 1. Tildeling av midler  
Helse Nord RHF skal i 2023 basere sin virksomhet på tildelte midler i tabell 1. 
`;

/** A nynorsk letter with "Andre oppgåver 2020:", sub-headings, a season, "skal leie arbeidet" and a task from
 * the foretaksmøte. */
export const NYNORSK_LETTER = `Oppdragsdokument 2020 
Helse Vest RHF 

1. Innleiing 
Helse Vest RHF skal innrette verksemda si med sikte på å nå følgjande hovudmål: 

1. Redusere unødvendig venting og variasjon i kapasitetsutnyttinga 
2. Prioritere psykisk helsevern og tverrfagleg spesialisert rusbehandling 

Helse Vest RHF skal bidra til at pasientar i spesialisthelsetenesta blir tilbodne 
samtidige helse- og arbeidsretta tilbod i eit samarbeid med NAV. 

2. Redusere unødvendig venting og variasjon i kapasitetsutnyttinga 
Ventetidene skal ned. 

Mål 2020: 
• Gjennomsnittleg ventetid i somatikken skal vere under 50 dagar innan 
utgangen av 2020. 

Andre oppgåver 2020: 
Kvalitet og pasienttryggleik 
• Dei regionale helseføretaka skal, under leiing av Helse Vest RHF, greie ut korleis 
talet på korridorpasientar kan reduserast. Rapport skal sendast departementet innan 
1. november 2020. 
• Helse Vest RHF skal saman med Helse Nord RHF og Folkehelseinstituttet vurdere 
tiltak mot antibiotikaresistens innan hausten 2020. 

7 

Psykisk helsevern 
• Dei regionale helseføretaka skal etablere eit felles kvalitetsregister for 
barne- og ungdomspsykiatri. Helse Nord RHF skal leie arbeidet. Helsedirektoratet 
skal involverast. Det skal leverast ein undervegsrapport innan 15. mars 2020 og 
arbeidet skal vere ferdig innan utgangen av 2020. 
o Registeret skal omfatte barn under 18 år. 
• Dei regionale helseføretaka, ved Helse Sør-Aust RHF, skal samordne 
innkjøp av legemiddel. Departementet sende eit brev 7.12.2019 om dette. 

Oppdrag frå føretaksmøtet 
Føretaksmøtet 14. januar 2020 bad Helse Vest RHF om å gjennomgå 
akuttilbodet i regionen i samarbeid med kommunane, og rapportere innan 1. juni 2020. 

3. Oppfølging og rapportering 
Helse Vest RHF skal rapportere på alle mål og oppgåver i årleg melding. 

Med helsing 

Bent Høie 

Vedlegg 1 Tildeling av midlar 
Helse Vest RHF skal innan 1. februar 2020 sende inn budsjett i samarbeid med Helsedirektoratet. 
`;

/**
 * The 2024 letter to one RHF: two joint oppdrag that stand word for word in every region's letter, and one
 * oppdrag for the recipient alone. `variant` changes the wording of one joint oppdrag slightly, as letters to
 * different regions sometimes do.
 */
export function regionLetter(recipient: string, variant = false): string {
  return `Oppdragsdokument 2024

${recipient}

16. JANUAR 2024

1. Styrke psykisk helsevern og tverrfaglig spesialisert rusbehandling

Oppdrag 2024:

- De regionale helseforetakene skal, under ledelse av Helse Sør-Øst RHF, ta i bruk løsninger med kunstig intelligens som kan bidra til å frigjøre tid hos helsepersonell${variant ? ' og redusere ventetidene' : ' og redusere ventetider'}. Effekten av løsningene skal dokumenteres slik at det legger til rette for videre innføring, i samarbeid med Helsedirektoratet og FHI.
- ${recipient} skal utarbeide oversikt over framtidig behov for legespesialister. Vurderingene skal oversendes Helse- og omsorgsdepartementet innen 1. oktober 2024.
- De regionale helseforetakene skal, i samarbeid med Direktoratet for medisinske produkter, tilrettelegge for implementering av det europeiske samarbeidet om metodevurdering. Det skal leveres en statusrapport innen 1. april 2024 og oppdraget skal være gjennomført innen utgangen av 2024.
`;
}

export const REGIONS = [
  'Helse Sør-Øst RHF',
  'Helse Vest RHF',
  'Helse Midt-Norge RHF',
  'Helse Nord RHF',
] as const;
