"""French or English, from the words a text uses; cheap enough for every request."""

import re

from textclf.text import fold

_WORD = re.compile(r"[a-z']+")

# Frequent words that are specific to one language once accents are folded away.
_FRENCH = frozenset(
    """
    le la les un une des du de au aux et ou mais donc est sont suis es etes sommes ai as avons
    avez ont je tu il elle nous vous ils elles on mon ma mes ton ta tes son sa ses notre nos votre
    vos leur leurs ce cet cette ces qui que quoi quel quelle quels quelles dans sur sous avec sans
    pour par chez pas plus ne rien tout tous toute toutes tres bien merci bonjour bonsoir salut
    svp stp oui non avoir etre fait faire peux peut veux voudrais veut besoin aide afficher affiche
    montre montrer supprime supprimer efface effacer cree creer ajoute ajouter ticket tickets
    demande depuis encore toujours jamais aussi comment pourquoi quand combien mot passe marche
    plus ecran ordinateur impossible probleme facture note frais conge conges paie salaire badge
    bureau salle chauffage contrat numero voir liste coucou hier aujourd'hui demain vouloir j'ai
    c'est n'est l'imprimante d'acces qu'il m'a j'arrive bloque mes votre moi toi lui
    vire virer retire retirer annule annuler ferme fermer ouvre ouvrir cloture cloturer enleve
    consulter consulte affiches montres supprimes detail details statut etat suivi quoi fini
    nouveau nouvelle creation declarer signaler signale liste lister voudrais pourrais pouvez
    aurais merci mercii salutations bisous tchao ciao adieu bientot plus tard revoir ciao coucou
    bjr slt cc jveux jvoudrais chui quelqu'un raconte blague meteo quelle heure temps ca va
    comment marche fonctionne commandes perdu aidez aider sais faire peux-tu peux tu pouvez-vous
    imprimante portable reseau souris clavier logiciel compte acces droits messagerie courriel
    conge absence arret maladie formation mutuelle remboursement commande fournisseur
    devis budget carte chaise climatisation fuite porte parking menage demenagement ascenseur
    juridique litige clause confidentialite marque brevet licence conformite rh compta
    informatique generaux moyens numero tes votre veuillez svp stp pls encore fois aussi
    """.split()
)
_ENGLISH = frozenset(
    """
    the a an and or but so is are was were be been am i you he she we they it my your his her our
    their this that these those what which who whom with without for from by at in on of to not no
    nothing all any very please thanks thank hello hi hey yes can could would should will want need
    help show list delete remove create add ticket tickets request since still again always never
    also how why when cannot can't don't doesn't won't isn't i'm it's my password screen computer
    laptop issue problem invoice expense leave payslip salary badge office room heating contract
    number see get open new some me us them there here have has had do does did get got working
    drop close cancel retract erase kill display view check status info details detail about
    file raise log report submit make start latest last first next previous mine own queue
    bye goodbye later see you cya thanks thx cheers done finished morning evening afternoon
    greetings howdy anyone tutorial guide commands command usage manual lost stuck what's
    whats who's where how's tell joke weather time play music order book flight translate
    printer keyboard mouse network wifi account access rights email mailbox phone install
    software payroll vacation sick training benefits refund purchase order supplier budget
    card chair heating leak door parking cleaning move elevator legal lawyer clause privacy
    trademark licence license compliance human resources facilities accounting finance
    broken won't doesn't work works stopped keeps still since today yesterday tomorrow
    """.split()
)
# Words both lists share ("ticket", "badge", "contrat"-like loans) say nothing.
_SHARED = _FRENCH & _ENGLISH
_FRENCH_ONLY = _FRENCH - _SHARED
_ENGLISH_ONLY = _ENGLISH - _SHARED
_FRENCH_MARKS = re.compile(r"[éèêàùçôîâûëïœ]", re.IGNORECASE)


def detect_language(text: str, default: str = "en") -> str:
    """Return 'fr' or 'en'; `default` when the text gives no clue ('ticket 12')."""
    words = _WORD.findall(fold(text))
    french = sum(
        w in _FRENCH_ONLY
        or w.split("'")[0] in ("j", "c", "l", "d", "qu", "n", "m", "s")
        and "'" in w
        for w in words
    )
    english = sum(w in _ENGLISH_ONLY for w in words)
    french += 2 * len(_FRENCH_MARKS.findall(text))
    if french > english:
        return "fr"
    if english > french:
        return "en"
    return default
